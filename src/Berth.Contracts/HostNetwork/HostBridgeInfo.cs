namespace Berth.Contracts;

/// <summary>A bridge the host network file declared and Berth applied, with what the host has now.</summary>
public sealed record HostBridgeInfo
{
    public required string Name { get; init; }
    /// <summary>The host interfaces enslaved to it.</summary>
    public required IReadOnlyList<string> Interfaces { get; init; }
    /// <summary>The host's IPv4 address on it with its prefix, e.g. 10.10.0.1/24.</summary>
    public string? Ipv4 { get; init; }
    /// <summary>The host's IPv6 address on it with its prefix; routed, never masqueraded.</summary>
    public string? Ipv6 { get; init; }
    /// <summary>IPv4 from its subnet is masqueraded when it leaves through another interface.</summary>
    public bool Nat { get; init; }
    /// <summary>It is also a Berth network of the same name (containers launch on it).</summary>
    public bool Network { get; init; }
    /// <summary>The bridge exists on the host now.</summary>
    public bool Present { get; init; }
}
