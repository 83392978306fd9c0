using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Updates;

/// <summary>A Berth environment whose update scheduler checks every second instead of every minute.</summary>
public sealed class UpdateSchedulerEnvironment : BerthEnvironment
{
    protected override string[] DaemonArguments => ["--Berth:Updates:SchedulerInterval", "00:00:01"];
}
