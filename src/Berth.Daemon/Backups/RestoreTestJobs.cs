using Berth.Daemon.Errors;
using Berth.Daemon.Events;
using Berth.Daemon.Hosting;
using Berth.Daemon.Jobs;
using Berth.Daemon.Processes;
using Berth.Daemon.Store;

namespace Berth.Daemon.Backups;

/// <summary>
/// backup.verify: restores one backup into a scratch directory in the target's turn and compares it with restic's
/// listing of it; a difference or a failure fails the job, raises ...verify-failed and marks the container or target.
/// </summary>
public sealed partial class RestoreTestJobs(
    BackupTargets targets,
    BackupRunner runner,
    BackupMarks marks,
    StatePaths paths,
    EventBroker events,
    ILogger<RestoreTestJobs> logger) : IJobHandler
{
    public IReadOnlyCollection<string> Kinds { get; } = [BackupJobKinds.Verify];

    public Task RunAsync(JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var args = context.Args<BackupArgs>();
        return args.Container is { } container
            ? marks.RunAsync(context, BackupMarks.ContainerKind, container, "verify", args.Target, () => VerifyAsync(context, args), markSuccess: false)
            : marks.RunAsync(context, BackupMarks.TargetKind, args.Target, "verify", args.Target, () => VerifyAsync(context, args));
    }

    public async Task<JobRecovery> RecoverAsync(JobRecord job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        await ChildProcesses.KillJobChildrenAsync(job.Id, cancellationToken).ConfigureAwait(false);
        await Images.ImageStore.RemoveTreeAsync(ScratchOf(job.Id)).ConfigureAwait(false);
        return new JobRecovery(false, "the restore test was stopped and its scratch directory removed; the backups are as they were, run it again");
    }

    private async Task VerifyAsync(JobContext context, BackupArgs args)
    {
        var ct = context.CancellationToken;
        var target = await targets.RequireAsync(args.Target, ct).ConfigureAwait(false);
        var restic = targets.Open(target);
        var backup = args.Backup!;
        var scratch = ScratchOf(context.Job.Id);
        JobProcessTag.Enter(context.Job.Id);
        Directory.CreateDirectory(Path.GetDirectoryName(scratch)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.CreateDirectory(scratch, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            IReadOnlyList<ResticNode> listing;
            using (await runner.TakeTurnAsync(target.Name, ct).ConfigureAwait(false))
            {
                context.Report($"restoring {backup[..8]} from {target.Name} into a scratch directory");
                await runner.WithUnlockAsync(restic, target.Name, () => restic.RestoreAsync(backup, scratch, [], ct), ct).ConfigureAwait(false);
                context.Report($"comparing the restored tree with restic's listing of {backup[..8]}");
                listing = await runner.WithUnlockAsync(restic, target.Name, () => restic.ListAsync(backup, ct), ct).ConfigureAwait(false);
            }

            var restored = await RestoreTest.ReadTreeAsync(scratch, ct).ConfigureAwait(false);
            var differences = RestoreTest.Compare(listing, restored);
            if (differences.Count > 0)
            {
                throw DomainError.Upstream("Restore test failed", $"backup {backup[..8]} on target '{target.Name}' restored with {RestoreTest.Describe(differences)}.");
            }

            Log.Verified(logger, backup[..8], target.Name, listing.Count);
            events.Publish("lifecycle", args.Container is null ? "backup-target.verified" : "container.backup-verified", args.Container ?? target.Name, context.Job.Id, $"{backup[..8]} in {target.Name}: {listing.Count} entries match");
        }
        finally
        {
            await Images.ImageStore.RemoveTreeAsync(scratch).ConfigureAwait(false);
        }
    }

    /// <summary>Under the state directory (root only), one per job, so a crash's leftovers are found again.</summary>
    private string ScratchOf(string jobId) => Path.Combine(paths.Root, "backups", "verify", jobId);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Restore test of backup {Backup} on {Target}: {Entries} entries restored as listed")]
        public static partial void Verified(ILogger logger, string backup, string target, int entries);
    }
}
