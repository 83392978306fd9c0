using Berth.Daemon.Events;
using Berth.Daemon.Jobs;
using Berth.Daemon.Processes;
using Berth.Daemon.Store;

namespace Berth.Daemon.Backups;

/// <summary>
/// backup.delete: in the target's turn, <c>restic forget ID</c>, then the backup's row goes (its owner's backups quota
/// counts one less), then <c>restic prune</c> frees its space, as after keep rules. A failed prune fails the job and
/// marks the container; the backup stays deleted and the next prune frees the space.
/// </summary>
public sealed class BackupDeleteJobs(BackupTargets targets, BackupStore store, BackupRunner runner, BackupMarks marks, EventBroker events) : IJobHandler
{
    public IReadOnlyCollection<string> Kinds { get; } = [BackupJobKinds.Delete];

    public async Task RunAsync(JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var args = context.Args<BackupArgs>();
        var ct = context.CancellationToken;
        var id = args.Backup!;
        var container = args.Container!;
        var target = await targets.RequireAsync(args.Target, ct).ConfigureAwait(false);
        var restic = targets.Open(target);
        JobProcessTag.Enter(context.Job.Id);
        using var turn = await runner.TakeTurnAsync(target.Name, ct).ConfigureAwait(false);
        context.Report($"forgetting {id[..8]} in {target.Name}");
        // restic forget of an id it no longer has succeeds, so a delete stopped half-way can simply run again.
        var forget = Policy.ResticForgetArgs.For(new Policy.KeepSelection([], [id]));
        await runner.WithUnlockAsync(restic, target.Name, () => restic.ForgetAsync(forget, ct), ct).ConfigureAwait(false);
        await store.DeleteAsync(target.Name, [id], CancellationToken.None).ConfigureAwait(false);
        events.Lifecycle("container.backup-deleted", container, context.Job.Id, $"{id[..8]} in {target.Name}");
        context.Report($"pruning {target.Name}");
        await marks.RunAsync(context, BackupMarks.ContainerKind, container, "prune", target.Name, () => runner.WithUnlockAsync(restic, target.Name, () => restic.PruneAsync(ct), ct), markSuccess: false).ConfigureAwait(false);
    }

    public async Task<JobRecovery> RecoverAsync(JobRecord job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        await ChildProcesses.KillJobChildrenAsync(job.Id, cancellationToken).ConfigureAwait(false);
        return new JobRecovery(false, "the delete was stopped; a backup still listed was not forgotten yet: delete it again (the other backups are intact)");
    }
}
