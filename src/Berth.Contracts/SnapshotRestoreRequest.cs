namespace Berth.Contracts;

/// <summary>Body of <c>POST /api/v1/containers/{name}/snapshots/{snapshot}/restore</c>.</summary>
public sealed record SnapshotRestoreRequest
{
    /// <summary>Stop a running container first (and start it again after); without it a running container is refused.</summary>
    public bool Stop { get; init; }
}
