namespace Berth.Contracts;

/// <summary>Body of <c>POST /api/v1/containers/{name}/snapshots</c>.</summary>
public sealed record SnapshotCreateRequest
{
    /// <summary>Default: snap-YYYYMMDD-HHMMSS.</summary>
    public string? Name { get; init; }
    /// <summary>How long to keep it, e.g. 7d, 12h; default: until deleted.</summary>
    public string? Expiry { get; init; }
}
