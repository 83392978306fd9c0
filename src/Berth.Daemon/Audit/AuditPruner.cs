using Berth.Daemon.Hosting;
using Microsoft.Extensions.Options;

namespace Berth.Daemon.Audit;

/// <summary>Removes audit records older than the retention (--audit-retention, default 90 days), so the table does not grow forever.</summary>
public sealed partial class AuditPruner(AuditStore store, IOptions<AuditOptions> options, TimeProvider time, ILogger<AuditPruner> logger) : PeriodicService(time, logger)
{
    protected override TimeSpan Interval => options.Value.PruneInterval;

    // The first pass waits one interval: at start the schema may not have been migrated yet.
    protected override bool RunAtStart => false;

    public override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var retention = options.Value.RetentionPeriod;
        var pruned = await store.DeleteBeforeAsync(Time.GetUtcNow() - retention, cancellationToken).ConfigureAwait(false);
        if (pruned > 0)
        {
            LogPruned(logger, pruned, retention);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Count} audit records older than {Retention}")]
    private static partial void LogPruned(ILogger logger, int count, TimeSpan retention);
}
