using Berth.Daemon.Hosting;

namespace Berth.Tests.Daemon.Hosting;

public sealed class DaemonUsageTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void WantsHelp_HelpSwitch_True(string arg) => Assert.True(DaemonUsage.WantsHelp(["--state-dir", "/tmp/x", arg]));

    [Fact]
    public void Text_NamesEverySwitch()
    {
        foreach (var name in DaemonCommandLine.Switches.Keys)
        {
            Assert.Contains(name + " ", DaemonUsage.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void FirstUnknown_KnownSwitchesAndSettings_Null() =>
        Assert.Null(DaemonUsage.FirstUnknown(["--state-dir", "/tmp/x", "--nft-table", "t1", "--Berth:Storage:SchedulerInterval", "00:00:01"]));

    [Fact]
    public void FirstUnknown_Typo_NamesIt() =>
        Assert.Equal("--nft-tabel", DaemonUsage.FirstUnknown(["--state-dir", "/tmp/x", "--nft-tabel", "t1"]));
}
