namespace Berth.Contracts;

/// <summary>A managed network: a Linux bridge (named like the network) with its subnet, gateway and policy.</summary>
public sealed record NetworkInfo
{
    public required string Name { get; init; }
    public required string Status { get; init; }
    public required string Subnet { get; init; }
    public required string Gateway { get; init; }
    public string? Ipv6 { get; init; }
    public string? Gateway6 { get; init; }
    public bool Nat { get; init; }
    public bool Isolated { get; init; }
    /// <summary>What traffic may reach beyond the bridge: nat, routed or internal.</summary>
    public string Mode { get; init; } = "routed";
    /// <summary>The containers holding an address on it, with the address.</summary>
    public IReadOnlyDictionary<string, string> Leases { get; init; } = new Dictionary<string, string>();
    public DateTimeOffset? CreatedAt { get; init; }
    /// <summary>The member whose network it is; null for a shared network (made by an admin), which every member may join.</summary>
    public string? Owner { get; init; }
}
