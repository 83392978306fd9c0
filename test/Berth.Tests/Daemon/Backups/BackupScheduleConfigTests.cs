using Berth.Daemon.Backups;
using Berth.Daemon.Containers;
using Berth.Daemon.Errors;
using Berth.Daemon.Hosting;

namespace Berth.Tests.Daemon.Backups;

public sealed class BackupScheduleConfigTests
{
    [Theory]
    [InlineData("backups.schedule", "sometimes")]
    [InlineData("backups.schedule", "61 * * * *")]
    [InlineData("backups.keep", "last=0")]
    [InlineData("backups.keep", "newest=2")]
    [InlineData("backups.keep", "last=2,last=3")]
    public void MalformedScheduleOrKeep_IsRefused_NamingTheKey(string key, string value)
    {
        var error = Assert.Throws<DomainError>(() => ContainerConfig.Apply(new Dictionary<string, string>(), new Dictionary<string, string> { [key] = value }, null, atLaunch: false, new HostCgroups()));
        Assert.Equal(ErrorKind.Invalid, error.Kind);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ScheduleAndKeep_AreStored()
    {
        var result = ContainerConfig.Apply(
            new Dictionary<string, string>(),
            new Dictionary<string, string> { ["backups.schedule"] = "@daily", ["backups.keep"] = "last=3,daily=7" },
            null,
            atLaunch: false,
            new HostCgroups());
        Assert.Equal("@daily", result["backups.schedule"]);
        Assert.Equal("last=3,daily=7", result["backups.keep"]);
    }

    [Fact]
    public void ContainerKeep_OverridesTheHostDefault()
    {
        var host = new BackupOptions { Keep = "daily=7" };
        Assert.Equal("last=2", BackupScheduler.KeepOf(new Dictionary<string, string> { ["backups.keep"] = "last=2" }, host));
        Assert.Equal("daily=7", BackupScheduler.KeepOf(new Dictionary<string, string>(), host));
    }

    [Theory]
    [InlineData("sometimes", "", "--backup-schedule")]
    [InlineData("", "weekly=x", "--backup-keep")]
    [InlineData("", "", "--check-schedule")]
    public void BadHostDefaults_StopTheDaemon_NamingTheSwitch(string schedule, string keep, string option)
    {
        var check = option == "--check-schedule" ? "every tuesday" : "";
        var error = Assert.Throws<ArgumentException>(() => new BackupOptions { Schedule = schedule, Keep = keep, CheckSchedule = check }.Validate());
        Assert.StartsWith(option, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HostDefaults_ComeFromTheirSwitches()
    {
        Assert.Equal("Berth:Backups:Schedule", DaemonCommandLine.Switches["--backup-schedule"]);
        Assert.Equal("Berth:Backups:Keep", DaemonCommandLine.Switches["--backup-keep"]);
        Assert.Equal("Berth:Backups:CheckSchedule", DaemonCommandLine.Switches["--check-schedule"]);
        new BackupOptions { Schedule = "@daily", Keep = "last=3,daily=7" }.Validate();
    }
}
