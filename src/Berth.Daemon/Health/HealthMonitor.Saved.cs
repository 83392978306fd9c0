using System.Data.Common;
using Berth.Contracts;

namespace Berth.Daemon.Health;

/// <summary>Keeping the monitor's state across berthd restarts: taken up at the first pass, written when it changes.</summary>
public sealed partial class HealthMonitor
{
    // A start or stop published since the last pass is written before berthd exits, so the next one does not undo it.
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (ExecuteTask is { IsCompleted: false } || _saved is null)
        {
            return;
        }

        foreach (var (name, watch) in _watches)
        {
            ApplyIntent(name, watch);
            await SaveAsync(name, watch, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A watch from what an earlier berthd wrote. Counts carry over; what belongs to a run (health, failures, a pending
    /// restart) only within the same host boot and only for a run still going; a container found stopped stays stopped
    /// unless its policy was about to restart it.
    /// </summary>
    private ContainerWatch Restore(string name, HealthSettings settings, HealthRecord? saved, CancellationToken cancellationToken)
    {
        var watch = new ContainerWatch(settings);
        if (saved is null)
        {
            return watch;
        }

        watch.Saved = saved;
        watch.Restarts = saved.Restarts;
        watch.Streak = saved.Streak;
        watch.GaveUp = saved.GaveUp;
        watch.RestartReason = saved.RestartReason;
        watch.Failure = saved is { Failure: { } detail, FailureAt: { } at } ? (detail, at) : null;
        if (saved.BootId != _bootId)
        {
            return watch;
        }

        if (saved.RestartJob is { } id)
        {
            _ownJobs[id] = 0;
            watch.RestartJob = (id, jobs.WaitAsync(id, TimeSpan.FromMinutes(10), cancellationToken));
            watch.Health = ContainerHealth.Restarting;
            return watch;
        }

        watch.RestartDue = saved.RestartDue;
        if (saved is { ExpectRunning: true, RunningSince: { } since } && runtime.GetStatus(name) == ContainerStatus.Running)
        {
            watch.ExpectRunning = true;
            watch.RunningSince = since;
            watch.Health = saved.Health;
            watch.Failures = saved.Failures;
            watch.NextCheck = Time.GetUtcNow() + settings.Interval;
        }
        else if (watch.RestartDue is not null)
        {
            watch.Health = ContainerHealth.Restarting;
        }

        return watch;
    }

    private async Task SaveAsync(string name, ContainerWatch watch, CancellationToken cancellationToken)
    {
        var record = watch.ToRecord(name, _bootId);
        if (record == watch.Saved)
        {
            return;
        }

        try
        {
            await store.SaveAsync(record, cancellationToken).ConfigureAwait(false);
            watch.Saved = record;
        }
        catch (DbException ex)
        {
            // Deleted since the pass listed it (its row went with it), or the store is busy: the next pass writes again.
            LogSaveFailed(Logger, name, ex.Message);
        }
    }
}
