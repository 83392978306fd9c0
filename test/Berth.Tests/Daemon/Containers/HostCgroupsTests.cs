using Berth.Daemon.Containers;

namespace Berth.Tests.Daemon.Containers;

public sealed class HostCgroupsTests
{
    [Fact]
    public void Constructor_V2_AlwaysAccountsSwap()
    {
        Assert.True(new HostCgroups(CgroupVersion.V2, swapAccounting: false).SwapAccounting);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Constructor_V1_SwapAccountingAsGiven(bool swapAccounting)
    {
        var host = new HostCgroups(CgroupVersion.V1, swapAccounting);

        Assert.Equal(CgroupVersion.V1, host.Version);
        Assert.Equal(swapAccounting, host.SwapAccounting);
    }
}
