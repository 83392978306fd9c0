namespace Berth.Contracts;

/// <summary>Body of <c>POST /api/v1/containers/{name}/copy</c>: a new container from this one (or one of its snapshots).</summary>
public sealed record CopyRequest
{
    public required string Target { get; init; }
    public string? Snapshot { get; init; }
    /// <summary>The network of the copy's first interface, its others staying on the source's networks ("none": no interface at all). Default: the source's networks, every interface.</summary>
    public string? Network { get; init; }
    /// <summary>The copy's IPv4 address on its first interface's network. Default: the lowest free one.</summary>
    public string? Ip { get; init; }
    /// <summary>All the copy's interfaces, one per network, in order (eth0, eth1, ...); the first carries the default route. Instead of <see cref="Network"/> and <see cref="Ip"/>.</summary>
    public IReadOnlyList<NetworkAttachment>? Networks { get; init; }
}
