using System.Globalization;
using Berth.Daemon.Containers;
using Berth.Daemon.Jobs;
using Berth.Daemon.Store;
using Microsoft.Extensions.Options;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Storage;

/// <summary>
/// Takes scheduled snapshots (snapshots.schedule, named auto-YYYYMMDD-HHMM, kept for snapshots.expiry) and prunes
/// every snapshot whose expiry has passed. Each is an ordinary job, so it is persisted, ordered and reported.
/// </summary>
public sealed partial class SnapshotScheduler(
    ContainerStore containers,
    StorageStore store,
    StorageService storage,
    JobQueue jobs,
    TimeProvider time,
    IOptions<StorageOptions> options,
    ILogger<SnapshotScheduler> logger) : Hosting.PeriodicService(time, logger)
{
    public const string AutoPrefix = "auto-";

    protected override TimeSpan Interval => options.Value.SchedulerInterval;

    protected override bool RunAtStart => false;

    public override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        var snapshots = await store.ListSnapshotsAsync(null, cancellationToken).ConfigureAwait(false);
        foreach (var expired in snapshots.Where(s => s.ExpiresAt <= now && !jobs.IsBusy(s.Container)))
        {
            await TryAsync(() => storage.DeleteSnapshotAsync(expired.Container, expired.Name, cancellationToken)).ConfigureAwait(false);
        }

        foreach (var container in await containers.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (container.Status != ContainerRecordStatus.Ready
                || !container.Config.TryGetValue(ContainerConfig.SnapshotsSchedule, out var text)
                || !CronSchedule.TryParse(text, out var schedule)
                || jobs.IsBusy(container.Name))
            {
                continue;
            }

            var last = snapshots.Where(s => s.Container == container.Name && s.Name.StartsWith(AutoPrefix, StringComparison.Ordinal))
                .Select(s => s.CreatedAt).DefaultIfEmpty(container.CreatedAt).Max();
            if (schedule.Next(last) is not { } due || due > now)
            {
                continue;
            }

            container.Config.TryGetValue(ContainerConfig.SnapshotsExpiry, out var expiry);
            var name = AutoPrefix + due.ToString("yyyyMMdd-HHmm", CultureInfo.InvariantCulture);
            await TryAsync(() => storage.CreateSnapshotAsync(container.Name, new Contracts.SnapshotCreateRequest { Name = name, Expiry = expiry }, cancellationToken)).ConfigureAwait(false);
        }
    }

    private async Task TryAsync(Func<Task<JobRecord>> submit)
    {
        try
        {
            await submit().ConfigureAwait(false);
        }
        catch (DomainError problem)
        {
            // e.g. the container is being deleted, or the snapshot exists already: the next pass decides again.
            LogSkipped(logger, problem.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Scheduled snapshot skipped: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string reason);
}
