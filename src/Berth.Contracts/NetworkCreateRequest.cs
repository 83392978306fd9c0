namespace Berth.Contracts;

/// <summary>Body of <c>POST /api/v1/networks</c>.</summary>
public sealed record NetworkCreateRequest
{
    /// <summary>Also the bridge's name: 1-15 characters, a-z, 0-9 and '-', starting with a letter.</summary>
    public required string Name { get; init; }
    /// <summary>IPv4 subnet in CIDR form, e.g. 10.20.0.0/24; the gateway is its first host address.</summary>
    /// <summary>The IPv4 subnet; a member may leave it out when berthd has a member range (--member-subnets), which then gives a free /24.</summary>
    public string? Subnet { get; init; }
    /// <summary>Optional IPv6 prefix, e.g. fd42:20::/64; the gateway is ::1 of the prefix.</summary>
    public string? Ipv6 { get; init; }
    /// <summary>Masquerade traffic leaving the network.</summary>
    public bool Nat { get; init; }
    /// <summary>Containers reach the gateway and the outside, never each other.</summary>
    public bool Isolated { get; init; }
    /// <summary>Nothing leaves the bridge: containers reach the gateway (DNS) and each other only. Not with <see cref="Nat"/>.</summary>
    public bool Internal { get; init; }
}
