using Berth.Contracts;
using Berth.Daemon.Runtime;

namespace Berth.Tests.Daemon.Runtime;

public sealed class LxcRuntimeTests
{
    [Theory]
    [InlineData("STOPPED", ContainerStatus.Stopped)]
    [InlineData("STARTING", ContainerStatus.Starting)]
    [InlineData("RUNNING", ContainerStatus.Running)]
    [InlineData("THAWED", ContainerStatus.Running)]
    [InlineData("STOPPING", ContainerStatus.Stopping)]
    [InlineData("ABORTING", ContainerStatus.Stopping)]
    [InlineData("FREEZING", ContainerStatus.Frozen)]
    [InlineData("FROZEN", ContainerStatus.Frozen)]
    [InlineData("", ContainerStatus.Unknown)]
    [InlineData("running", ContainerStatus.Unknown)]
    [InlineData("BOGUS", ContainerStatus.Unknown)]
    public void MapState_LxcState_MapsToStatus(string state, ContainerStatus expected)
    {
        Assert.Equal(expected, LxcRuntime.MapState(state));
    }
}
