using System.Collections.Concurrent;
using Berth.Contracts;
using Berth.Daemon.Containers;
using Berth.Daemon.Events;
using Berth.Daemon.Hosting;
using Berth.Daemon.Jobs;
using Berth.Daemon.Runtime;
using Berth.Daemon.Store;

namespace Berth.Daemon.Health;

/// <summary>
/// Runs health commands on their intervals and applies restart policies, once a second over the containers that have
/// either: a container whose init ends while Berth expected it to run, or that turns unhealthy, is restarted with
/// backoff (1 s, 2 s, 4 s ... 5 min). A stop Berth made (a stop job, a host shutdown) publishes container.stopped
/// first, so it is never undone.
/// </summary>
public sealed partial class HealthMonitor(
    ContainerStore containers,
    LxcRuntime runtime,
    JobQueue jobs,
    EventBroker events,
    HealthProbe probe,
    HealthStates states,
    HealthStore store,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<HealthMonitor> logger) : PeriodicService(time, logger)
{
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);

    /// <summary>How long a container must run without failing before its backoff starts again at 1 s.</summary>
    public static readonly TimeSpan CalmSpell = TimeSpan.FromMinutes(5);

    private const string HostTarget = "host";

    private readonly Dictionary<string, ContainerWatch> _watches = new(StringComparer.Ordinal);
    /// <summary>What Berth's own stops and starts (not the monitor's) last asked of each container, written as they are published.</summary>
    private readonly ConcurrentDictionary<string, ContainerIntent> _intents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _ownJobs = new(StringComparer.Ordinal);

    /// <summary>The rows written before this berthd started, until the first pass has taken them up; then empty.</summary>
    private Dictionary<string, HealthRecord>? _saved;
    private string _bootId = "";

    protected override TimeSpan Interval => TimeSpan.FromSeconds(1);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        events.Observe(e =>
        {
            if (e.Type != "lifecycle" || (e.JobId is not null && _ownJobs.ContainsKey(e.JobId)))
            {
                return;
            }

            switch (e.Action)
            {
                case "container.started" or "container.stopped":
                    _intents.AddOrUpdate(e.Target, _ => new ContainerIntent(e.Action == "container.started", 1), (_, i) => new ContainerIntent(e.Action == "container.started", i.Generation + 1));
                    break;
                case "container.deleted":
                    _intents.TryRemove(e.Target, out _);
                    break;
            }
        });
        return base.StartAsync(cancellationToken);
    }

    // The first pass waits until every hosted service has started: a first start has no tables before the migrations.
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        await base.ExecuteAsync(stoppingToken).ConfigureAwait(false);
    }

    public override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var first = _saved is null;
        if (first)
        {
            _bootId = (await File.ReadAllTextAsync("/proc/sys/kernel/random/boot_id", cancellationToken).ConfigureAwait(false)).Trim();
            _saved = new Dictionary<string, HealthRecord>(await store.ListAsync(cancellationToken).ConfigureAwait(false), StringComparer.Ordinal);
        }

        var records = (await containers.ListAsync(cancellationToken).ConfigureAwait(false))
            .Where(r => r.Status == ContainerRecordStatus.Ready)
            .ToDictionary(r => r.Name, StringComparer.Ordinal);

        foreach (var name in _watches.Keys.Concat(states.Names).Where(n => !records.ContainsKey(n)).ToList())
        {
            _watches.Remove(name);
            states.Remove(name);
        }

        foreach (var name in _intents.Keys.Where(n => !records.ContainsKey(n)).ToList())
        {
            // A launch publishes its start before its row is ready; keep what a job still acts on.
            if (!jobs.IsBusy(name))
            {
                _intents.TryRemove(name, out _);
            }
        }

        foreach (var record in records.Values)
        {
            var settings = HealthSettings.From(record.Config);
            if (!settings.Watched)
            {
                // Its keys were unset: what was kept of it goes too, so setting them again starts afresh.
                if ((_watches.Remove(record.Name, out var old) && old.Saved is not null) | _saved!.Remove(record.Name))
                {
                    await store.DeleteAsync(record.Name, cancellationToken).ConfigureAwait(false);
                }

                states.Remove(record.Name);
                continue;
            }

            if (!_watches.TryGetValue(record.Name, out var watch))
            {
                var saved = _saved!.Remove(record.Name, out var row) ? row : first ? null : await store.GetAsync(record.Name, cancellationToken).ConfigureAwait(false);
                watch = Restore(record.Name, settings, saved, cancellationToken);
                _watches[record.Name] = watch;
            }

            await PassAsync(record.Name, watch, settings, cancellationToken).ConfigureAwait(false);
            await SaveAsync(record.Name, watch, cancellationToken).ConfigureAwait(false);
            states.Set(record.Name, new HealthState(watch.Health, watch.Restarts, watch.Failure?.Detail, watch.Failure?.At));
        }

        // Rows of containers not ready now (a rename, a network move) wait for them: looked up when they are watched again.
        _saved!.Clear();
    }

    /// <summary>Applies a start or stop Berth made (not the monitor) since the last pass: it resets what the monitor expects.</summary>
    private void ApplyIntent(string name, ContainerWatch watch)
    {
        if (!_intents.TryGetValue(name, out var intent) || intent.Generation == watch.Generation)
        {
            return;
        }

        watch.Generation = intent.Generation;
        watch.RunningSince = null;
        watch.RestartDue = null;
        watch.ExpectRunning = intent.Run;
        if (intent.Run)
        {
            // Someone started it: a fresh start, a fresh chance after giving up, and (as Docker does) a new count of restarts.
            watch.GaveUp = false;
            watch.Streak = 0;
            watch.Restarts = 0;
        }
        else
        {
            watch.Health = null;
        }
    }

    private async Task PassAsync(string name, ContainerWatch watch, HealthSettings settings, CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        if (watch.Settings.Command != settings.Command || watch.Settings.StartPeriod != settings.StartPeriod)
        {
            // A new command starts from scratch: its first result decides.
            watch.Failures = 0;
            watch.Check = null;
            watch.NextCheck = now;
            watch.Health = watch.RunningSince is null ? null : settings.Command is null ? null : ContainerHealth.Starting;
        }

        watch.Settings = settings;
        ApplyIntent(name, watch);
        if (watch.RestartJob is { } restart)
        {
            if (!restart.Done.IsCompleted)
            {
                watch.Health = ContainerHealth.Restarting;
                return;
            }

            await FinishRestartAsync(name, watch, restart.Id, await restart.Done.ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            if (watch.RestartJob is not null)
            {
                return;
            }
        }

        var status = runtime.GetStatus(name);
        if (status == ContainerStatus.Running)
        {
            WhileRunning(name, watch, now, cancellationToken);
        }
        else if (status == ContainerStatus.Stopped)
        {
            WhileStopped(name, watch);
        }

        if (watch.RestartDue is { } due && now >= due && settings.Policy != RestartPolicy.No)
        {
            await SubmitRestartAsync(name, watch, status, cancellationToken).ConfigureAwait(false);
        }
        else if (settings.Policy == RestartPolicy.No && watch.RestartDue is not null)
        {
            watch.RestartDue = null;
            watch.Health = watch.RunningSince is null ? null : watch.Health;
        }
    }

    private void WhileRunning(string name, ContainerWatch watch, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var settings = watch.Settings;
        if (watch.RunningSince is null)
        {
            watch.ExpectRunning = true;
            watch.RunningSince = now;
            watch.Failures = 0;
            watch.Check = null;
            watch.NextCheck = now + settings.Interval;
            watch.Health = settings.Command is null ? null : ContainerHealth.Starting;
        }

        if (watch.Streak > 0 && watch.Health is not ContainerHealth.Unhealthy && now - watch.RunningSince >= CalmSpell)
        {
            watch.Streak = 0;
        }

        if (watch.RestartDue is not null)
        {
            return;
        }

        if (watch.Check is { } check && check.Run.IsCompleted)
        {
            watch.Check = null;
            watch.NextCheck = now + settings.Interval;
            if (check.Start == watch.RunningSince && settings.Command is not null)
            {
                // A probe that threw (it should not) counts as a failed run rather than failing every pass.
                var result = check.Run.IsCompletedSuccessfully ? check.Run.Result : (false, check.Run.Exception?.GetBaseException().Message ?? "the check was cancelled");
                Judge(name, watch, result, now);
            }
        }

        if (settings.Command is { } command && watch.Check is null && now >= watch.NextCheck)
        {
            watch.Check = (probe.RunAsync(name, command, settings.Timeout, cancellationToken), watch.RunningSince);
        }
    }

    private void Judge(string name, ContainerWatch watch, (bool Healthy, string Detail) result, DateTimeOffset now)
    {
        var settings = watch.Settings;
        if (result.Healthy)
        {
            watch.Failures = 0;
            if (watch.Health != ContainerHealth.Healthy)
            {
                watch.Health = ContainerHealth.Healthy;
                events.Lifecycle("container.healthy", name, message: "health.command passed");
                LogHealthy(Logger, name);
            }

            return;
        }

        // Failures after it turned unhealthy change nothing, so they write nothing either.
        if (watch.Health is ContainerHealth.Unhealthy || (watch.Health is ContainerHealth.Starting && now - watch.RunningSince < settings.StartPeriod))
        {
            return;
        }

        watch.Failures++;
        watch.Failure = (result.Detail, now);
        if (watch.Failures < settings.Retries)
        {
            return;
        }

        watch.Health = ContainerHealth.Unhealthy;
        var message = $"health.command failed {watch.Failures} times in a row; last: {result.Detail}";
        events.Lifecycle("container.unhealthy", name, message: message);
        LogUnhealthy(Logger, name, watch.Failures); // the command's output goes to the event only, never to the log
        if (settings.Policy != RestartPolicy.No)
        {
            Schedule(name, watch, "unhealthy", now);
        }
    }

    private void WhileStopped(string name, ContainerWatch watch)
    {
        watch.Check = null;
        if (!watch.ExpectRunning)
        {
            watch.RunningSince = null;
            watch.Health = watch.RestartDue is null ? null : ContainerHealth.Restarting;
            return;
        }

        // A job acting on it may be stopping it: its container.stopped event will say so, so decide on a later pass.
        if (jobs.IsBusy(name) || jobs.IsBusy(HostTarget))
        {
            return;
        }

        ApplyIntent(name, watch);
        if (!watch.ExpectRunning)
        {
            return;
        }

        watch.ExpectRunning = false;
        watch.RunningSince = null;
        watch.Health = null;
        events.Lifecycle("container.exited", name, message: "its init ended without Berth stopping it");
        LogExited(Logger, name);
        if (watch.Settings.Policy != RestartPolicy.No)
        {
            Schedule(name, watch, "its init ended", Time.GetUtcNow());
        }
    }

    private void Schedule(string name, ContainerWatch watch, string reason, DateTimeOffset now)
    {
        if (watch.Settings.Max is { } max && watch.Streak >= max)
        {
            if (!watch.GaveUp)
            {
                watch.GaveUp = true;
                events.Lifecycle("container.restart-gave-up", name, message: $"{reason} after {watch.Streak} restarts in a row (restart.max {max}); start it to try again");
                LogGaveUp(Logger, name, watch.Streak);
            }

            return;
        }

        watch.RestartDue = now + Backoff(watch.Streak);
        watch.RestartReason = reason;
        watch.Health = ContainerHealth.Restarting;
    }

    /// <summary>1 s, 2 s, 4 s ... doubling with each restart in a row, at most <see cref="MaxBackoff"/>.</summary>
    public static TimeSpan Backoff(int streak) =>
        streak >= 9 ? MaxBackoff : TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, 1 << Math.Max(0, streak)));

    private async Task SubmitRestartAsync(string name, ContainerWatch watch, ContainerStatus status, CancellationToken cancellationToken)
    {
        if (status is not (ContainerStatus.Running or ContainerStatus.Stopped) || jobs.IsBusy(name))
        {
            return;
        }

        watch.RestartDue = null;
        watch.Health = ContainerHealth.Restarting;

        // The id is known before the job runs, so the events it publishes are recognised as the monitor's own.
        var id = JobQueue.NewId();
        _ownJobs[id] = 0;
        var kind = status == ContainerStatus.Stopped ? JobKinds.Start : JobKinds.Restart;
        await jobs.SubmitAsync(kind, name, new StateArgs(name, Force: false, Timeout: null), cancellationToken, id).ConfigureAwait(false);
        watch.RestartJob = (id, jobs.WaitAsync(id, TimeSpan.FromMinutes(10), cancellationToken));
    }

    private async Task FinishRestartAsync(string name, ContainerWatch watch, string id, JobRecord? job, CancellationToken cancellationToken)
    {
        if (job is { Status: JobStatus.Queued or JobStatus.Running })
        {
            watch.RestartJob = (id, jobs.WaitAsync(id, TimeSpan.FromMinutes(10), cancellationToken));
            return;
        }

        watch.RestartJob = null;
        _ownJobs.TryRemove(id, out _);
        watch.Streak++;
        var now = Time.GetUtcNow();
        if (job is { Status: JobStatus.Succeeded })
        {
            watch.Restarts++;
            watch.RunningSince = null;
            watch.ExpectRunning = true;
            events.Lifecycle("container.restarted", name, id, $"{watch.RestartReason}; restart {watch.Streak} in a row");
            LogRestarted(Logger, name, watch.RestartReason, watch.Streak);
            return;
        }

        LogRestartFailed(Logger, name, job?.Error ?? "the job is gone");
        if (runtime.GetStatus(name) != ContainerStatus.Running)
        {
            Schedule(name, watch, watch.RestartReason, now);
        }
    }

    private ILogger Logger => logger;
}
