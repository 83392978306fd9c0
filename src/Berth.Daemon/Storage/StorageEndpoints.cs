using Berth.Contracts;
using Berth.Daemon.Api;
using Berth.Daemon.Access;

namespace Berth.Daemon.Storage;

/// <summary>/api/v1/storage-pools and /api/v1/containers/{name}/snapshots|export.</summary>
public static class StorageEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var pools = api.MapGroup("/storage-pools").WithTags("Storage");
        pools.MapGet("", (Caller caller, StorageService s, CancellationToken ct) => s.ListPoolsAsync(ct, caller)).Reads();
        pools.MapPost("", async (StoragePoolCreateRequest request, StorageService s, CancellationToken ct) =>
            JobResults.Accepted(await s.CreatePoolAsync(request, ct).ConfigureAwait(false))).AdminChanges();
        pools.MapGet("/{name}", (string name, Caller caller, StorageService s, CancellationToken ct) => s.GetPoolAsync(name, ct, caller)).Reads();
        pools.MapDelete("/{name}", async (string name, StorageService s, CancellationToken ct) =>
            JobResults.Accepted(await s.DeletePoolAsync(name, ct).ConfigureAwait(false))).AdminChanges();

        var containers = api.MapGroup("/containers/{name}").WithTags("Snapshots");
        containers.MapGet("/snapshots", (string name, StorageService s, CancellationToken ct) => s.ListSnapshotsAsync(name, ct)).Reads(ObjectKind.Container);
        containers.MapPost("/snapshots", async (string name, SnapshotCreateRequest request, StorageService s, CancellationToken ct) =>
            JobResults.Accepted(await s.CreateSnapshotAsync(name, request, ct).ConfigureAwait(false))).Changes(ObjectKind.Container);
        containers.MapPost("/snapshots/{snapshot}/restore", async (string name, string snapshot, SnapshotRestoreRequest request, StorageService s, CancellationToken ct) =>
            JobResults.Accepted(await s.RestoreSnapshotAsync(name, snapshot, request, ct).ConfigureAwait(false))).Changes(ObjectKind.Container);
        containers.MapDelete("/snapshots/{snapshot}", async (string name, string snapshot, StorageService s, CancellationToken ct) =>
            JobResults.Accepted(await s.DeleteSnapshotAsync(name, snapshot, ct).ConfigureAwait(false))).Changes(ObjectKind.Container);
        containers.MapPost("/export", async (string name, ExportRequest request, StorageService s, CancellationToken ct) =>
            JobResults.Accepted(await s.ExportAsync(name, request, ct).ConfigureAwait(false))).WithTags("Containers").AdminChanges();
    }
}
