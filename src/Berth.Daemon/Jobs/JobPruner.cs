using Berth.Daemon.Hosting;
using Berth.Daemon.Store;
using Microsoft.Extensions.Options;

namespace Berth.Daemon.Jobs;

/// <summary>Removes finished jobs older than the retention (--Berth:JobRetention, default 30 days), so the jobs table does not grow forever.</summary>
public sealed partial class JobPruner(JobStore jobs, IOptions<BerthOptions> options, TimeProvider time, ILogger<JobPruner> logger) : PeriodicService(time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    public override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var pruned = await jobs.DeleteFinishedBeforeAsync(Time.GetUtcNow() - options.Value.JobRetention, cancellationToken).ConfigureAwait(false);
        if (pruned > 0)
        {
            LogPruned(logger, pruned, options.Value.JobRetention);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Count} jobs that finished more than {Retention} ago")]
    private static partial void LogPruned(ILogger logger, int count, TimeSpan retention);
}
