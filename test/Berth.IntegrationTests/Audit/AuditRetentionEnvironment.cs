using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Audit;

/// <summary>A daemon that keeps audit records for a week and prunes every second, so a test sees pruning happen.</summary>
public sealed class AuditRetentionEnvironment : BerthEnvironment
{
    protected override string[] DaemonArguments => ["--audit-retention", "7d", "--Berth:Audit:PruneInterval", "00:00:01"];
}
