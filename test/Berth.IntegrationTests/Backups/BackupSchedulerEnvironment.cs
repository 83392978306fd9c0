using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Backups;

/// <summary>A Berth environment whose backup scheduler checks every second instead of every 30, and checks every target every minute.</summary>
public sealed class BackupSchedulerEnvironment : BerthEnvironment
{
    protected override string[] DaemonArguments => ["--Berth:Backups:SchedulerInterval", "00:00:01", "--check-schedule", "* * * * *"];
}
