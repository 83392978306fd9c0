using Berth.Daemon.Jobs;

namespace Berth.Daemon.Backups;

/// <summary>Restores a backup's tree into a staging directory, for the steps that make a new container of it.</summary>
public sealed class BackupTrees(BackupTargets targets, BackupRunner runner)
{
    /// <summary>Writes the backup's rootfs/ into <paramref name="staging"/>/rootfs (made by the pool), owners and all, in the target's turn.</summary>
    public async Task RestoreTreeAsync(JobContext context, string target, string backup, string staging, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var record = await targets.RequireAsync(target, cancellationToken).ConfigureAwait(false);
        var restic = targets.Open(record);
        using var turn = await runner.TakeTurnAsync(record.Name, cancellationToken).ConfigureAwait(false);
        context.Report($"restoring {backup[..8]} from {record.Name}");
        await runner.WithUnlockAsync(restic, record.Name, () => restic.RestoreAsync(backup, staging, ["/rootfs"], cancellationToken), cancellationToken).ConfigureAwait(false);
    }
}
