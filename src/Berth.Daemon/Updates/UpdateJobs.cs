using System.Globalization;
using System.Text.Json;
using Berth.Contracts;
using Berth.Daemon.Errors;
using Berth.Daemon.Events;
using Berth.Daemon.Hosting;
using Berth.Daemon.Jobs;
using Berth.Daemon.Processes;
using Berth.Daemon.Runtime;
using Berth.Daemon.Storage;
using Berth.Daemon.Store;
using Microsoft.Extensions.Options;

namespace Berth.Daemon.Updates;

/// <summary>
/// Runs update.run: snapshot (update-YYYYMMDD-HHMMSS), apt-get update and dist-upgrade inside the container, a health
/// check (it still runs; health.command passes when set); on failure the snapshot is restored and the container started
/// again. The log is kept; the snapshot of a successful update is kept until the next one succeeds.
/// </summary>
public sealed partial class UpdateJobs(
    ContainerStore containers,
    StoragePools pools,
    StorageStore snapshots,
    LxcRuntime runtime,
    StatePaths paths,
    ContainerApt apt,
    UpdateStore store,
    EventBroker events,
    TimeProvider time,
    IOptions<BerthOptions> options,
    ILogger<UpdateJobs> logger) : IJobHandler
{
    public const string SnapshotPrefix = "update-";

    public IReadOnlyCollection<string> Kinds { get; } = [UpdateJobKinds.Run];

    public async Task RunAsync(JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var ct = context.CancellationToken;
        var name = context.Args<UpdateArgs>().Container;
        var record = await containers.GetAsync(name, ct).ConfigureAwait(false) ?? throw Containers.ContainerName.NotFound(name);
        if (runtime.GetStatus(name) != ContainerStatus.Running)
        {
            throw DomainError.Conflict("Container not running", $"'{name}' is not running; updates run inside it, so start it first.");
        }

        if (!await apt.IsSupportedAsync(name, ct).ConfigureAwait(false))
        {
            throw DomainError.Conflict("Updates not supported", $"'{name}': updates are {ContainerApt.Unsupported}; Berth updates Debian-based containers only.");
        }

        var started = time.GetUtcNow();
        var snapshot = SnapshotPrefix + started.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var logPath = UpdateLog.PathOf(paths.Root, context.Job.Id);
        await store.InsertAsync(new UpdateRecord(context.Job.Id, name, started, null, UpdateRecord.Running, null, null, null, logPath), ct).ConfigureAwait(false);
        using var log = new UpdateLog(logPath, time);
        try
        {
            context.Report($"snapshot {snapshot}");
            log.Step($"snapshot {snapshot}");
            await TakeSnapshotAsync(context, name, snapshot).ConfigureAwait(false);
            await store.SetSnapshotAsync(context.Job.Id, snapshot, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.Line($"taking the snapshot failed: {ex.Message}");
            await store.FinishAsync(context.Job.Id, UpdateRecord.Failed, $"taking the snapshot failed: {ex.Message}", null, time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        var (failure, summary) = await UpgradeAsync(context, record.Config, name, log).ConfigureAwait(false);
        if (failure is null)
        {
            await ReplaceKeptSnapshotsAsync(name, context.Job.Id, log).ConfigureAwait(false);
            log.Step($"succeeded: {summary ?? "nothing to upgrade"}");
            await store.FinishAsync(context.Job.Id, UpdateRecord.Succeeded, null, summary, time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
            events.Lifecycle("container.updated", name, context.Job.Id, summary);
            return;
        }

        log.Step($"failed: {failure}; rolling back to {snapshot}");
        context.Report($"rolling back to {snapshot}");
        try
        {
            await RollBackAsync(name, snapshot, context.Job.Id).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DomainError or CommandFailedException or Native.LxcException or IOException or TimeoutException)
        {
            log.Line($"rolling back failed: {ex.Message}");
            var error = $"{failure}; rolling back to snapshot '{snapshot}' failed too: {ex.Message}; the snapshot is kept";
            await store.FinishAsync(context.Job.Id, UpdateRecord.Failed, error, summary, time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
            events.Lifecycle("container.update-failed", name, context.Job.Id, error);
            throw DomainError.Conflict("Update failed", $"updating '{name}' failed: {error}. Log (GET /api/v1/containers/{name}/updates/log):\n{UpdateLog.Tail(logPath, 20)}");
        }

        // The container is the snapshot again: it is not kept as well, so failed runs do not pile snapshots up.
        await DeleteSnapshotAsync(name, snapshot, CancellationToken.None).ConfigureAwait(false);
        await store.SetSnapshotAsync(context.Job.Id, null, CancellationToken.None).ConfigureAwait(false);
        log.Step($"rolled back to {snapshot}; it runs again");
        var rolledBack = $"{failure}; rolled back to snapshot '{snapshot}'";
        await store.FinishAsync(context.Job.Id, UpdateRecord.RolledBack, rolledBack, summary, time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
        events.Lifecycle("container.update-failed", name, context.Job.Id, rolledBack);
        throw DomainError.Conflict("Update rolled back", $"updating '{name}' failed: {rolledBack}, and it runs again. Log (GET /api/v1/containers/{name}/updates/log):\n{UpdateLog.Tail(logPath, 20)}");
    }

    public async Task<JobRecovery> RecoverAsync(JobRecord job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var name = JsonSerializer.Deserialize<UpdateArgs>(job.Args, BerthJson.Options)!.Container;
        JobFreeze.ThawAfterCrash(runtime, paths, job.Id, name);
        var run = await store.GetAsync(job.Id, cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            return new JobRecovery(false, "the update had not begun; run it again");
        }

        if (run.Snapshot is null || !(await snapshots.ListSnapshotsAsync(name, cancellationToken).ConfigureAwait(false)).Any(s => s.Name == run.Snapshot))
        {
            await store.FinishAsync(job.Id, UpdateRecord.Failed, "interrupted by a restart before its snapshot was taken", null, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            return new JobRecovery(false, "the update was interrupted before its snapshot was taken; nothing was upgraded; run it again");
        }

        // apt may have stopped half-way: the container goes back to the snapshot taken before it.
        await RollBackAsync(name, run.Snapshot, job.Id).ConfigureAwait(false);
        await DeleteSnapshotAsync(name, run.Snapshot, cancellationToken).ConfigureAwait(false);
        await store.SetSnapshotAsync(job.Id, null, cancellationToken).ConfigureAwait(false);
        var message = $"interrupted by a restart; rolled back to snapshot '{run.Snapshot}'";
        await store.FinishAsync(job.Id, UpdateRecord.RolledBack, message, null, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return new JobRecovery(false, $"the update was {message}; run it again");
    }

    /// <summary>apt-get update, dist-upgrade, then the health check; returns what failed (null when nothing did) and apt's summary.</summary>
    private async Task<(string? Failure, string? Summary)> UpgradeAsync(JobContext context, IReadOnlyDictionary<string, string> config, string name, UpdateLog log)
    {
        var ct = context.CancellationToken;
        try
        {
            context.Report("apt-get update");
            var (refreshed, _) = await apt.RunAsync(name, ["apt-get", "-q", "update"], log, ct).ConfigureAwait(false);
            if (refreshed != 0)
            {
                return ($"apt-get update exited with {refreshed}", null);
            }

            context.Report("apt-get dist-upgrade");
            var (upgraded, output) = await apt.RunAsync(
                name, ["apt-get", "-q", "-y", "-o", "Dpkg::Options::=--force-confold", "dist-upgrade"], log, ct).ConfigureAwait(false);
            var summary = ContainerApt.SummaryOf(output);
            if (upgraded != 0)
            {
                return ($"apt-get dist-upgrade exited with {upgraded}", summary);
            }

            context.Report("health check");
            log.Step("health check");
            if (runtime.GetStatus(name) != ContainerStatus.Running)
            {
                log.Line("the container is no longer running");
                return ("the health check failed: the container is no longer running", summary);
            }

            // The container's own health check, as the monitor runs it: health.retries failures in a row, health.interval apart, fail it.
            var health = Health.HealthSettings.From(config);
            if (health.Command is { } command)
            {
                var healthy = -1;
                for (var attempt = 1; attempt <= health.Retries && healthy != 0; attempt++)
                {
                    if (attempt > 1)
                    {
                        log.Line($"health check failed ({attempt - 1} of {health.Retries}); again in {health.Interval.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
                        await Task.Delay(health.Interval, ct).ConfigureAwait(false);
                    }

                    (healthy, _) = await apt.RunAsync(name, ["/bin/sh", "-c", command], log, ct, health.Timeout).ConfigureAwait(false);
                }

                if (healthy != 0)
                {
                    return ($"the health check failed: {UpdateSettings.HealthCommandKey} exited with {healthy} {health.Retries} times in a row", summary);
                }
            }

            log.Line("healthy");
            return (null, summary);
        }
        catch (Exception ex) when (ex is CommandFailedException or IOException or DomainError)
        {
            log.Line(ex.Message);
            return (ex.Message, null);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The daemon is stopping: apt was stopped half-way, so the container goes back to the snapshot now.
            log.Line("cancelled: the daemon is stopping");
            return ("cancelled because the daemon is stopping", null);
        }
    }

    private async Task TakeSnapshotAsync(JobContext context, string name, string snapshot)
    {
        var ct = context.CancellationToken;
        var pool = await pools.PoolOfAsync(name, ct).ConfigureAwait(false);
        var driver = pools.DriverOf(pool);
        await using var reverter = new Reverter(logger);
        JobProcessTag.Enter(context.Job.Id);
        using (JobFreeze.FreezeIfRunning(runtime, paths, context.Job.Id, name))
        {
            reverter.Add("remove the snapshot", () => driver.DeleteSnapshotAsync(pool, name, snapshot, CancellationToken.None));
            await OutOfSpace.GuardAsync(pool, $"taking snapshot '{snapshot}' of '{name}'", () => driver.CreateSnapshotAsync(pool, name, snapshot, ct)).ConfigureAwait(false);
        }

        var quota = Users.QuotaDemand.ForSnapshot(Users.QuotaDemand.IsExempt(context.Job.RequestedBy), context.Job.RequestedBy, name);
        if (!await snapshots.TryInsertSnapshotAsync(new SnapshotRecord(name, snapshot, time.GetUtcNow(), null), quota, ct).ConfigureAwait(false))
        {
            throw DomainError.Conflict("Snapshot exists", $"'{name}' already has a snapshot named '{snapshot}'; run the update again in a second.");
        }

        reverter.Success();
        events.Lifecycle("container.snapshot-created", name, context.Job.Id, snapshot);
    }

    /// <summary>Stops the container, restores the snapshot and starts it again; not cancelled half-way.</summary>
    private async Task RollBackAsync(string name, string snapshot, string jobId)
    {
        var pool = await pools.PoolOfAsync(name, CancellationToken.None).ConfigureAwait(false);
        if (runtime.GetStatus(name) != ContainerStatus.Stopped)
        {
            await runtime.StopAsync(name, force: false, options.Value.StopTimeoutSeconds, CancellationToken.None).ConfigureAwait(false);
            if (runtime.GetStatus(name) != ContainerStatus.Stopped)
            {
                await runtime.StopAsync(name, force: true, options.Value.StopTimeoutSeconds, CancellationToken.None).ConfigureAwait(false);
            }

            events.Lifecycle("container.stopped", name, jobId);
        }

        await OutOfSpace.GuardAsync(pool, $"restoring snapshot '{snapshot}' of '{name}'", () => pools.DriverOf(pool).RestoreSnapshotAsync(pool, name, snapshot, CancellationToken.None), "the container is as it was").ConfigureAwait(false);
        events.Lifecycle("container.snapshot-restored", name, jobId, snapshot);
        await runtime.StartAsync(name, CancellationToken.None).ConfigureAwait(false);
        events.Lifecycle("container.started", name, jobId);
    }

    /// <summary>Removes the snapshots earlier successful updates kept: the newest successful one replaces them.</summary>
    private async Task ReplaceKeptSnapshotsAsync(string name, string jobId, UpdateLog log)
    {
        var existing = (await snapshots.ListSnapshotsAsync(name, CancellationToken.None).ConfigureAwait(false)).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (earlierJob, snapshot) in await store.KeptSnapshotsAsync(name, jobId, CancellationToken.None).ConfigureAwait(false))
        {
            try
            {
                if (existing.Contains(snapshot))
                {
                    await DeleteSnapshotAsync(name, snapshot, CancellationToken.None).ConfigureAwait(false);
                    log.Line($"removed the snapshot of the previous update, {snapshot}");
                }

                await store.SetSnapshotAsync(earlierJob, null, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is CommandFailedException or IOException or DomainError)
            {
                // The update itself succeeded; an old snapshot left behind is listed and can be deleted by hand.
                log.Line($"removing the previous update's snapshot {snapshot} failed: {ex.Message}");
                LogKeptSnapshotLeft(logger, name, snapshot, ex.Message);
            }
        }
    }

    private async Task DeleteSnapshotAsync(string name, string snapshot, CancellationToken cancellationToken)
    {
        var pool = await pools.PoolOfAsync(name, cancellationToken).ConfigureAwait(false);
        await pools.DriverOf(pool).DeleteSnapshotAsync(pool, name, snapshot, cancellationToken).ConfigureAwait(false);
        await snapshots.DeleteSnapshotAsync(name, snapshot, cancellationToken).ConfigureAwait(false);
        events.Lifecycle("container.snapshot-deleted", name, null, snapshot);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The previous update snapshot {Snapshot} of {Container} was left: {Reason}")]
    private static partial void LogKeptSnapshotLeft(ILogger logger, string container, string snapshot, string reason);
}
