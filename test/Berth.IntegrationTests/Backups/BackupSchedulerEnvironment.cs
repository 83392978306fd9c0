using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Backups;

/// <summary>A Berth environment whose backup scheduler checks every second instead of every 30.</summary>
public sealed class BackupSchedulerEnvironment : BerthEnvironment
{
    protected override string[] DaemonArguments => ["--Berth:Backups:SchedulerInterval", "00:00:01"];
}
