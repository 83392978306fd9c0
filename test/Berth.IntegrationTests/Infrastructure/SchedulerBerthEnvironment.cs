namespace Berth.IntegrationTests.Infrastructure;

/// <summary>A Berth environment whose snapshot scheduler checks every second instead of every 30.</summary>
public sealed class SchedulerBerthEnvironment : BerthEnvironment
{
    protected override string[] DaemonArguments => ["--Berth:Storage:SchedulerInterval", "00:00:01"];
}
