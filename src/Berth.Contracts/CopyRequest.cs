namespace Berth.Contracts;

/// <summary>Body of <c>POST /api/v1/containers/{name}/copy</c>: a new container from this one (or one of its snapshots).</summary>
public sealed record CopyRequest
{
    public required string Target { get; init; }
    public string? Snapshot { get; init; }
    /// <summary>The copy's network ("none" for none). Default: the source's network.</summary>
    public string? Network { get; init; }
    /// <summary>The copy's IPv4 address on that network. Default: the lowest free one.</summary>
    public string? Ip { get; init; }
}
