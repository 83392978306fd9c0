namespace Berth.Contracts;

/// <summary>Body of <c>POST /api/v1/containers/{name}/copy</c>: a new container from this one (or one of its snapshots).</summary>
public sealed record CopyRequest
{
    public required string Target { get; init; }
    public string? Snapshot { get; init; }
}
