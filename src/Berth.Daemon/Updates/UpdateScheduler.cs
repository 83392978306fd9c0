using System.Collections.Concurrent;
using Berth.Contracts;
using Berth.Daemon.Access;
using Berth.Daemon.Errors;
using Berth.Daemon.Jobs;
using Berth.Daemon.Runtime;
using Berth.Daemon.Store;
using Microsoft.Extensions.Options;

namespace Berth.Daemon.Updates;

/// <summary>
/// Runs due updates (updates.auto, else berthd --updates-auto) as ordinary update.run jobs, inside each container's window:
/// a running container is due updates.every after its last run began (at once when it never ran).
/// </summary>
public sealed partial class UpdateScheduler(
    ContainerStore containers,
    UpdateStore store,
    UpdateService updates,
    ContainerApt apt,
    LxcRuntime runtime,
    Hosting.StatePaths paths,
    JobQueue jobs,
    TimeProvider time,
    IOptions<UpdateOptions> options,
    ILogger<UpdateScheduler> logger) : Hosting.PeriodicService(time, logger)
{
    // A run that could not be submitted waits a period too, instead of being tried again every pass.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _attempted = new(StringComparer.Ordinal);

    private static readonly TimeSpan PruneEvery = TimeSpan.FromHours(1);

    private DateTimeOffset _pruned = DateTimeOffset.MinValue;

    protected override TimeSpan Interval => options.Value.SchedulerInterval;

    protected override bool RunAtStart => false;

    public override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        if (now - _pruned >= PruneEvery)
        {
            _pruned = now;
            await PruneLogsAsync(now, cancellationToken).ConfigureAwait(false);
        }

        var last = await store.LastRunsAsync(null, cancellationToken).ConfigureAwait(false);
        foreach (var container in await containers.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            var settings = UpdateSettings.Of(container.Config, options.Value);
            if (!settings.Auto
                || container.Status != ContainerRecordStatus.Ready
                || jobs.IsBusy(container.Name)
                || runtime.GetStatus(container.Name) != ContainerStatus.Running)
            {
                continue;
            }

            DateTimeOffset? previous = last.TryGetValue(container.Name, out var run) ? run.StartedAt : null;
            if (_attempted.TryGetValue(container.Name, out var attempted) && (previous is null || attempted > previous))
            {
                previous = attempted;
            }

            var due = previous is { } p ? p + settings.Period : now;
            if (due > now || !settings.Window.Contains(now) || !await apt.IsSupportedAsync(container.Name, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            _attempted[container.Name] = now;
            try
            {
                await updates.RunAsync(Caller.System, container.Name, cancellationToken).ConfigureAwait(false);
            }
            catch (DomainError problem)
            {
                // e.g. it stopped or began a job in between: the next period decides again.
                LogSkipped(logger, container.Name, problem.Message);
            }
        }
    }

    /// <summary>Removes the logs of runs whose container was deleted (its rows went with it); an hour old at least, so no run still writes one.</summary>
    private async Task PruneLogsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var dir = Path.GetDirectoryName(UpdateLog.PathOf(paths.Root, "x"))!;
        if (!Directory.Exists(dir))
        {
            return;
        }

        var kept = await store.JobIdsAsync(cancellationToken).ConfigureAwait(false);
        foreach (var file in new DirectoryInfo(dir).EnumerateFiles("*.log"))
        {
            if (!kept.Contains(Path.GetFileNameWithoutExtension(file.Name)) && now - file.LastWriteTimeUtc > PruneEvery)
            {
                file.Delete();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scheduled update of {Container} skipped: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string container, string reason);
}
