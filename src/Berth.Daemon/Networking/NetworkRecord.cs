namespace Berth.Daemon.Networking;

/// <summary>A managed network as the store holds it. Its Linux bridge has the network's name.</summary>
public sealed record NetworkRecord
{
    public required string Name { get; init; }
    public required string Subnet { get; init; }
    public string? Subnet6 { get; init; }
    public bool Nat { get; init; }
    public bool Isolated { get; init; }
    /// <summary>No traffic leaves the bridge but to the host's gateway address (DNS) and replies to forwards.</summary>
    public bool Internal { get; init; }
    /// <summary>creating, ready or deleting (as for containers).</summary>
    public required string Status { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public string? JobId { get; init; }
    /// <summary>The member whose network it is (only they and admins attach to it); null: shared, made by an admin.</summary>
    public string? Owner { get; init; }

    public string Bridge => Name;

    public string Mode => Internal ? NetworkModes.Internal : Nat ? NetworkModes.Nat : NetworkModes.Routed;

    public IpSubnet Ipv4 => IpSubnet.TryParse(Subnet, out var subnet, out var error) ? subnet! : throw new InvalidOperationException(error);

    public IpSubnet? Ipv6 => Subnet6 is null ? null : IpSubnet.TryParse(Subnet6, out var subnet, out var error) ? subnet : throw new InvalidOperationException(error);
}
