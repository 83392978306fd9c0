using Berth.Contracts;

namespace Berth.Client;

/// <summary>Backup targets, backups and restores.</summary>
public sealed partial class BerthClient
{
    public async Task<IReadOnlyList<BackupTargetInfo>> ListBackupTargetsAsync(CancellationToken cancellationToken = default) =>
        await GetAsync<BackupTargetInfo[]>("api/v1/backup-targets", cancellationToken).ConfigureAwait(false);

    public Task<BackupTargetInfo> GetBackupTargetAsync(string name, CancellationToken cancellationToken = default) =>
        GetAsync<BackupTargetInfo>($"api/v1/backup-targets/{Escape(name)}", cancellationToken);

    /// <summary>Adds a target; restic creates (or opens) its repository, so this can take a while for a remote one.</summary>
    public Task<BackupTargetInfo> AddBackupTargetAsync(BackupTargetCreateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync<BackupTargetInfo>(HttpMethod.Post, "api/v1/backup-targets", Json(request), cancellationToken);
    }

    public Task<BackupTargetInfo> RemoveBackupTargetAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync<BackupTargetInfo>(HttpMethod.Delete, $"api/v1/backup-targets/{Escape(name)}", content: null, cancellationToken);

    public Task<BackupTargetKey> GetBackupTargetKeyAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync<BackupTargetKey>(HttpMethod.Post, $"api/v1/backup-targets/{Escape(name)}/key", content: null, cancellationToken);

    public async Task<IReadOnlyList<BackupInfo>> ListBackupsAsync(string? container = null, CancellationToken cancellationToken = default) =>
        await GetAsync<BackupInfo[]>(container is null ? "api/v1/backups" : $"api/v1/backups?container={Uri.EscapeDataString(container)}", cancellationToken).ConfigureAwait(false);

    public Task<JobInfo> BackupAsync(string container, BackupRunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync<JobInfo>(HttpMethod.Post, $"api/v1/containers/{Escape(container)}/backups", Json(request), cancellationToken);
    }

    public Task<JobInfo> BackupSystemAsync(BackupRunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync<JobInfo>(HttpMethod.Post, "api/v1/backups/system", Json(request), cancellationToken);
    }

    public Task<JobInfo> CheckBackupTargetAsync(string target, BackupCheckRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync<JobInfo>(HttpMethod.Post, $"api/v1/backup-targets/{Escape(target)}/check", Json(request), cancellationToken);
    }

    /// <summary>A restore test of one of the container's backups, picked at random.</summary>
    public Task<JobInfo> VerifyBackupsAsync(string container, BackupVerifyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync<JobInfo>(HttpMethod.Post, $"api/v1/containers/{Escape(container)}/backups/verify", Json(request), cancellationToken);
    }

    /// <summary>A restore test of one of the target's backups, picked at random (admins).</summary>
    public Task<JobInfo> VerifyBackupTargetAsync(string target, CancellationToken cancellationToken = default) =>
        SendAsync<JobInfo>(HttpMethod.Post, $"api/v1/backup-targets/{Escape(target)}/verify", null, cancellationToken);

    /// <summary>Deletes one of the container's backups: a job that forgets it in its target and prunes.</summary>
    public Task<JobInfo> DeleteBackupAsync(string container, string backup, CancellationToken cancellationToken = default) =>
        SendAsync<JobInfo>(HttpMethod.Delete, $"api/v1/containers/{Escape(container)}/backups/{Escape(backup)}", content: null, cancellationToken);

    public Task<JobInfo> RestoreBackupAsync(string backup, BackupRestoreRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync<JobInfo>(HttpMethod.Post, $"api/v1/backups/{Escape(backup)}/restore", Json(request), cancellationToken);
    }
}
