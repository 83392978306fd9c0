namespace Berth.Contracts;

/// <summary>Body of <c>POST /api/v1/containers</c>: create a container from an image and (by default) start it.</summary>
public sealed record LaunchRequest
{
    public required string Name { get; init; }
    public required string Image { get; init; }
    /// <summary>The user to launch it for (admins only); null: the caller.</summary>
    public string? Owner { get; init; }
    public IReadOnlyDictionary<string, string>? Config { get; init; }
    public bool Start { get; init; } = true;
    /// <summary>The managed network to attach to; null: the daemon's default network if it has one; "none": no network.</summary>
    public string? Network { get; init; }
    /// <summary>A static IPv4 address from the network's subnet; null: the lowest free one.</summary>
    public string? Ip { get; init; }
    /// <summary>Several interfaces, one per network, in order (eth0, eth1, ...); the first carries the default route. Instead of <see cref="Network"/> and <see cref="Ip"/>.</summary>
    public IReadOnlyList<NetworkAttachment>? Networks { get; init; }
    /// <summary>The storage pool to create the container in (used by the storage feature); null: the default.</summary>
    public string? Storage { get; init; }
}
