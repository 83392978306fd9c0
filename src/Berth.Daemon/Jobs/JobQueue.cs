using System.Collections.Concurrent;
using System.Text.Json;
using Berth.Contracts;
using Berth.Daemon.Api;
using Berth.Daemon.Events;
using Berth.Daemon.Processes;
using Berth.Daemon.Store;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Jobs;

/// <summary>
/// Persists every job before it runs, runs jobs concurrently but one at a time per target, reports progress and the
/// outcome as events, and at start recovers jobs a crash interrupted.
/// </summary>
public sealed class JobQueue(
    JobStore store,
    EventBroker events,
    IEnumerable<IJobHandler> handlers,
    TimeProvider time,
    ILogger<JobQueue> logger,
    IHostApplicationLifetime lifetime)
{
    private readonly Dictionary<string, IJobHandler> _handlers = handlers.SelectMany(h => h.Kinds.Select(k => (k, h))).ToDictionary(p => p.k, p => p.h);
    private readonly TargetGates _gates = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _finished = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);

    /// <summary>Whether a job is acting on <paramref name="target"/> right now (its state may be in flux).</summary>
    public bool IsBusy(string target) => _gates.IsBusy(target);

    /// <summary>Persists a queued job and starts it; the caller answers 202 with it.</summary>
    public async Task<JobRecord> SubmitAsync(string kind, string target, object args, CancellationToken cancellationToken = default, string? id = null)
    {
        var job = new JobRecord
        {
            Id = id ?? NewId(),
            Kind = kind,
            Target = target,
            Status = JobStatus.Queued,
            Args = JsonSerializer.Serialize(args, BerthJson.Options),
            CreatedAt = time.GetUtcNow(),
            RequestedBy = Access.Caller.Current?.OwnerForNew,
        };
        await store.InsertAsync(job, cancellationToken).ConfigureAwait(false);
        events.Publish("job", "job.queued", target, job.Id, kind);
        Start(job);
        return job;
    }

    /// <summary>A new job id, for a caller that reserves a row naming the job before submitting it.</summary>
    public static string NewId() => Guid.NewGuid().ToString("N");

    /// <summary>Waits until the job ends or <paramref name="timeout"/> passes, then returns its current record.</summary>
    public async Task<JobRecord?> WaitAsync(string id, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var job = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (job is null || job.Status is JobStatus.Succeeded or JobStatus.Failed || timeout <= TimeSpan.Zero)
        {
            return job;
        }

        var signal = _finished.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        job = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (job!.Status is JobStatus.Queued or JobStatus.Running)
        {
            try
            {
                await signal.Task.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Answer with the job as it is now.
            }

            job = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // It finished between the two reads, maybe after RunAsync looked for a signal: nobody else removes this one.
            _finished.TryRemove(new KeyValuePair<string, TaskCompletionSource>(id, signal));
        }

        return job;
    }

    internal void ReportProgress(JobRecord job, string progress)
    {
        // Progress is best effort: persist it for 'berth jobs' and publish it for 'berth monitor'.
        _ = store.SetProgressAsync(job.Id, progress);
        events.Publish("job", "job.progress", job.Target, job.Id, progress);
    }

    /// <summary>Recovers jobs that were running when the daemon died and restarts the queued ones. Called once at start.</summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        foreach (var job in await store.ListByStatusAsync(JobStatus.Running, cancellationToken).ConfigureAwait(false))
        {
            JobRecovery outcome;
            try
            {
                outcome = _handlers.TryGetValue(job.Kind, out var handler)
                    ? await handler.RecoverAsync(job, cancellationToken).ConfigureAwait(false)
                    : new JobRecovery(false, "unknown job kind");
            }
#pragma warning disable CA1031 // Recovery of one job must not stop the daemon from starting.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                outcome = new JobRecovery(false, $"recovery failed: {ex.Message}");
            }

            var status = outcome.Completed ? JobStatus.Succeeded : JobStatus.Failed;
            var error = outcome.Completed ? null : $"interrupted by a daemon restart; {outcome.Message}";
            await store.MarkFinishedAsync(job.Id, status, error, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            JobLog.Recovered(logger, job.Id, job.Kind, job.Target, outcome.Message);
            events.Publish("job", outcome.Completed ? "job.succeeded" : "job.failed", job.Target, job.Id, outcome.Message);
        }

        foreach (var job in await store.ListByStatusAsync(JobStatus.Queued, cancellationToken).ConfigureAwait(false))
        {
            Start(job);
        }
    }

    /// <summary>Waits for the jobs that are running now (used at shutdown).</summary>
    public Task DrainAsync() => Task.WhenAll(_running.Values);

    private void Start(JobRecord job)
    {
        var task = Task.Run(() => RunAsync(job));
        _running[job.Id] = task;
        _ = task.ContinueWith(_ => _running.TryRemove(job.Id, out var _), TaskScheduler.Default);
    }

    private async Task RunAsync(JobRecord job)
    {
        var stopping = lifetime.ApplicationStopping;
        await _gates.EnterAsync(job.Target).ConfigureAwait(false);
        string? error = null;
        try
        {
            var started = job with { Status = JobStatus.Running, StartedAt = time.GetUtcNow() };
            await store.MarkRunningAsync(job.Id, started.StartedAt!.Value).ConfigureAwait(false);
            events.Publish("job", "job.running", job.Target, job.Id, job.Kind);
            JobLog.Started(logger, job.Id, job.Kind, job.Target);
            if (!_handlers.TryGetValue(job.Kind, out var handler))
            {
                throw new InvalidOperationException($"no handler for job kind {job.Kind}");
            }

            await handler.RunAsync(new JobContext(started, this, stopping)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DomainError or CommandFailedException or Native.LxcException or IOException or TimeoutException or OperationCanceledException or UnauthorizedAccessException)
        {
            error = ex.Message;
        }
#pragma warning disable CA1031 // A job that throws anything else fails with its message; the daemon goes on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            JobLog.Crashed(logger, job.Id, job.Kind, job.Target, ex);
            error = ex.Message;
        }
        finally
        {
            _gates.Leave(job.Target);
        }

        var status = error is null ? JobStatus.Succeeded : JobStatus.Failed;
        await store.MarkFinishedAsync(job.Id, status, error, time.GetUtcNow()).ConfigureAwait(false);
        if (error is null)
        {
            JobLog.Succeeded(logger, job.Id, job.Kind, job.Target);
        }
        else
        {
            JobLog.Failed(logger, job.Id, job.Kind, job.Target, error);
        }

        events.Publish("job", error is null ? "job.succeeded" : "job.failed", job.Target, job.Id, error ?? job.Kind);
        if (_finished.TryRemove(job.Id, out var signal))
        {
            signal.TrySetResult();
        }
    }
}
