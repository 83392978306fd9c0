using Berth.Daemon.Runtime;

namespace Berth.Tests.Daemon.Runtime;

public sealed class RunningInitTests
{
    [Fact]
    public void ParseStartTime_NameWithSpacesAndParentheses_ReadsField22()
    {
        const string stat = "4242 (my (odd) init) S 4200 4242 4242 0 -1 4194560 900 0 0 0 3 5 0 0 20 0 1 0 123456789 2207744 200 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0";

        Assert.Equal(123456789, RunningInit.ParseStartTime(stat));
    }

    [Fact]
    public void ParseStartTime_Zombie_IsNull()
    {
        const string stat = "4242 (init) Z 4200 4242 4242 0 -1 4194560 900 0 0 0 3 5 0 0 20 0 1 0 123456789 0 0 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";

        Assert.Null(RunningInit.ParseStartTime(stat));
    }

    [Theory]
    [InlineData("THAWED\n", false)]
    [InlineData("FROZEN\n", true)]
    [InlineData("FREEZING\n", true)]
    [InlineData("0\n", false)]
    [InlineData("1\n", true)]
    public void Frozen_WhileTheInitLives_ReadsTheFreezerFile(string freezer, bool frozen)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, freezer);
            var init = new RunningInit(Environment.ProcessId, RunningInit.StartTimeOf(Environment.ProcessId)!.Value, file, null, null);

            Assert.Equal(frozen, init.Frozen());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Frozen_AnotherProcessUnderTheSamePid_IsGone()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "THAWED\n");
            var init = new RunningInit(Environment.ProcessId, RunningInit.StartTimeOf(Environment.ProcessId)!.Value - 1, file, null, null);

            Assert.Null(init.Frozen());
        }
        finally
        {
            File.Delete(file);
        }
    }
}
