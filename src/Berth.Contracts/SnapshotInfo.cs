namespace Berth.Contracts;

/// <summary>A snapshot of a container's root filesystem.</summary>
public sealed record SnapshotInfo
{
    public required string Container { get; init; }
    public required string Name { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>When it is pruned automatically, if it expires.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}
