namespace Berth.Daemon.HostNetwork;

/// <summary>One bridge of the host network file, as declared (and, once applied, as the store keeps it).</summary>
public sealed record HostBridgeSpec
{
    /// <summary>The bridge's interface name (at most 15 bytes); also the Berth network's name when <see cref="Network"/>.</summary>
    public required string Name { get; init; }
    /// <summary>Host interfaces enslaved to the bridge, in file order.</summary>
    public IReadOnlyList<string> Interfaces { get; init; } = [];
    /// <summary>The host's IPv4 address on the bridge with its prefix, e.g. 10.10.0.1/24.</summary>
    public string? Ipv4 { get; init; }
    /// <summary>The host's IPv6 address on the bridge with its prefix; routed, never masqueraded.</summary>
    public string? Ipv6 { get; init; }
    /// <summary>Masquerade IPv4 from the bridge's subnet leaving through another interface.</summary>
    public bool Nat { get; init; }
    /// <summary>Also a Berth network of the same name, so containers launch on it.</summary>
    public bool Network { get; init; }

    public HostAddress? Address4 => Ipv4 is null ? null : HostAddress.TryParse(Ipv4, out var a, out var e) ? a : throw new InvalidOperationException(e);

    public HostAddress? Address6 => Ipv6 is null ? null : HostAddress.TryParse(Ipv6, out var a, out var e) ? a : throw new InvalidOperationException(e);

    /// <summary>Traffic is routed through the host from or to this bridge (so the kernel must forward).</summary>
    public bool Routes => Nat || Network;

    public IEnumerable<HostAddress> Addresses => new[] { Address4, Address6 }.OfType<HostAddress>();

    public bool SameAs(HostBridgeSpec other) =>
        other is not null && Name == other.Name && Interfaces.SequenceEqual(other.Interfaces, StringComparer.Ordinal)
        && Ipv4 == other.Ipv4 && Ipv6 == other.Ipv6 && Nat == other.Nat && Network == other.Network;
}
