using Berth.Contracts;

namespace Berth.Client;

/// <summary>Storage pools, snapshots, copies, export and import.</summary>
public sealed partial class BerthClient
{
    public async Task<IReadOnlyList<StoragePoolInfo>> ListStoragePoolsAsync(CancellationToken cancellationToken = default) =>
        await GetAsync<StoragePoolInfo[]>("api/v1/storage-pools", cancellationToken).ConfigureAwait(false);

    public Task<StoragePoolInfo> GetStoragePoolAsync(string name, CancellationToken cancellationToken = default) =>
        GetAsync<StoragePoolInfo>($"api/v1/storage-pools/{Escape(name)}", cancellationToken);

    public Task<JobInfo> CreateStoragePoolAsync(StoragePoolCreateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync<JobInfo>(HttpMethod.Post, "api/v1/storage-pools", Json(request), cancellationToken);
    }

    public Task<JobInfo> DeleteStoragePoolAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync<JobInfo>(HttpMethod.Delete, $"api/v1/storage-pools/{Escape(name)}", content: null, cancellationToken);

    public async Task<IReadOnlyList<SnapshotInfo>> ListSnapshotsAsync(string container, CancellationToken cancellationToken = default) =>
        await GetAsync<SnapshotInfo[]>($"api/v1/containers/{Escape(container)}/snapshots", cancellationToken).ConfigureAwait(false);

    public Task<JobInfo> CreateSnapshotAsync(string container, SnapshotCreateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync<JobInfo>(HttpMethod.Post, $"api/v1/containers/{Escape(container)}/snapshots", Json(request), cancellationToken);
    }

    public Task<JobInfo> RestoreSnapshotAsync(string container, string snapshot, bool stop = false, CancellationToken cancellationToken = default) =>
        SendAsync<JobInfo>(HttpMethod.Post, $"api/v1/containers/{Escape(container)}/snapshots/{Escape(snapshot)}/restore", Json(new SnapshotRestoreRequest { Stop = stop }), cancellationToken);

    public Task<JobInfo> DeleteSnapshotAsync(string container, string snapshot, CancellationToken cancellationToken = default) =>
        SendAsync<JobInfo>(HttpMethod.Delete, $"api/v1/containers/{Escape(container)}/snapshots/{Escape(snapshot)}", content: null, cancellationToken);

    public Task<JobInfo> CopyAsync(string source, CopyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync<JobInfo>(HttpMethod.Post, $"api/v1/containers/{Escape(source)}/copy", Json(request), cancellationToken);
    }

    public Task<JobInfo> ExportAsync(string container, ExportRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync<JobInfo>(HttpMethod.Post, $"api/v1/containers/{Escape(container)}/export", Json(request), cancellationToken);
    }

    public Task<JobInfo> ImportAsync(ImportRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync<JobInfo>(HttpMethod.Post, "api/v1/containers/import", Json(request), cancellationToken);
    }
}
