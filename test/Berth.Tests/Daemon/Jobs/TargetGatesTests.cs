using Berth.Daemon.Jobs;

namespace Berth.Tests.Daemon.Jobs;

public sealed class TargetGatesTests
{
    [Fact]
    public async Task EnterLeave_ManyTargets_KeepsNoGateAfterwards()
    {
        var gates = new TargetGates();

        for (var i = 0; i < 1000; i++)
        {
            await gates.EnterAsync($"c{i}");
            Assert.True(gates.IsBusy($"c{i}"));
            gates.Leave($"c{i}");
        }

        Assert.Equal(0, gates.Count);
        Assert.False(gates.IsBusy("c0"));
    }

    [Fact]
    public async Task EnterAsync_SameTargetTaken_WaitsUntilLeave()
    {
        var gates = new TargetGates();
        await gates.EnterAsync("web");

        var second = gates.EnterAsync("web");
        var other = gates.EnterAsync("db");
        await other;
        Assert.False(second.IsCompleted);

        gates.Leave("web");
        await second;
        Assert.True(gates.IsBusy("web"));
        gates.Leave("web");
        gates.Leave("db");
        Assert.Equal(0, gates.Count);
    }
}
