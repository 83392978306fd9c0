using System.Collections.Concurrent;
using Berth.Daemon.Access;
using Berth.Daemon.Containers;
using Berth.Daemon.Errors;
using Berth.Daemon.Jobs;
using Berth.Daemon.Storage;
using Berth.Daemon.Store;
using Microsoft.Extensions.Options;

namespace Berth.Daemon.Backups;

/// <summary>
/// Runs scheduled backups (backups.schedule, else berthd --backup-schedule) as ordinary backup jobs to the container's
/// target; each such job then forgets what backups.keep (else --backup-keep) does not keep, and prunes the repository.
/// </summary>
public sealed partial class BackupScheduler(
    ContainerStore containers,
    BackupStore store,
    BackupTargets targets,
    BackupService backups,
    JobQueue jobs,
    TimeProvider time,
    IOptions<BackupOptions> options,
    ILogger<BackupScheduler> logger) : Hosting.PeriodicService(time, logger)
{
    public const string ScheduleKey = "backups.schedule";
    public const string KeepKey = "backups.keep";

    // A failed run waits for the next time its schedule names, instead of being tried again every pass.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _attempted = new(StringComparer.Ordinal);

    // When each target was last checked by this daemon; a restart counts from its start.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _checked = new(StringComparer.Ordinal);
    private readonly DateTimeOffset _started = time.GetUtcNow();

    // When each target last had a scheduled restore test from this daemon.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _verified = new(StringComparer.Ordinal);

    protected override TimeSpan Interval => options.Value.SchedulerInterval;

    protected override bool RunAtStart => false;

    /// <summary>The keep rules in effect for a container: its own, else the host's; empty keeps all.</summary>
    public static string KeepOf(IReadOnlyDictionary<string, string> config, BackupOptions options)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        return config.TryGetValue(KeepKey, out var keep) ? keep : options.Keep;
    }

    public override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        await CheckDueTargetsAsync(now, cancellationToken).ConfigureAwait(false);
        await VerifyDueTargetsAsync(now, cancellationToken).ConfigureAwait(false);
        var all = await store.ListAsync(null, false, null, cancellationToken).ConfigureAwait(false);
        foreach (var container in await containers.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            var text = container.Config.TryGetValue(ScheduleKey, out var own) ? own : options.Value.Schedule;
            if (container.Status != ContainerRecordStatus.Ready
                || text.Length == 0
                || !CronSchedule.TryParse(text, out var schedule)
                || jobs.IsBusy(container.Name))
            {
                continue;
            }

            var last = all.Where(b => b.Container == container.Name && !b.System).Select(b => b.CreatedAt).DefaultIfEmpty(container.CreatedAt).Max();
            if (_attempted.TryGetValue(container.Name, out var attempted) && attempted > last)
            {
                last = attempted;
            }

            if (schedule.Next(last) is not { } due || due > now)
            {
                continue;
            }

            _attempted[container.Name] = now;
            try
            {
                await backups.RunAsync(Caller.System, container.Name, new Contracts.BackupRunRequest(), cancellationToken, KeepOf(container.Config, options.Value)).ConfigureAwait(false);
            }
            catch (DomainError problem)
            {
                // e.g. no target, or several and no backups.target: the next scheduled time decides again.
                LogSkipped(logger, container.Name, problem.Message);
            }
        }
    }

    private async Task CheckDueTargetsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (options.Value.CheckSchedule is not { Length: > 0 } text || !CronSchedule.TryParse(text, out var schedule))
        {
            return;
        }

        foreach (var target in await targets.ListRecordsAsync(cancellationToken).ConfigureAwait(false))
        {
            var last = _checked.GetValueOrDefault(target.Name, _started);
            if (jobs.IsBusy(BackupJobKinds.CheckTarget(target.Name)) || schedule.Next(last) is not { } due || due > now)
            {
                continue;
            }

            _checked[target.Name] = now;
            try
            {
                await backups.CheckAsync(target.Name, new Contracts.BackupCheckRequest { ReadDataParts = options.Value.CheckReadParts > 0 ? options.Value.CheckReadParts : null }, cancellationToken).ConfigureAwait(false);
            }
            catch (DomainError problem)
            {
                LogSkipped(logger, target.Name, problem.Message);
            }
        }
    }

    /// <summary>berthd --restore-test-schedule: one random backup of each target restored and compared, when due.</summary>
    private async Task VerifyDueTargetsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (options.Value.RestoreTestSchedule is not { Length: > 0 } text || !CronSchedule.TryParse(text, out var schedule))
        {
            return;
        }

        foreach (var target in await targets.ListRecordsAsync(cancellationToken).ConfigureAwait(false))
        {
            var last = _verified.GetValueOrDefault(target.Name, _started);
            if (jobs.IsBusy(BackupJobKinds.CheckTarget(target.Name)) || schedule.Next(last) is not { } due || due > now)
            {
                continue;
            }

            _verified[target.Name] = now;
            try
            {
                await backups.VerifyTargetAsync(target.Name, cancellationToken).ConfigureAwait(false);
            }
            catch (DomainError problem)
            {
                LogSkipped(logger, target.Name, problem.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scheduled backup of {Container} skipped: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string container, string reason);
}
