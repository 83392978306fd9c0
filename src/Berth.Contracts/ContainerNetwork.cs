namespace Berth.Contracts;

/// <summary>One of a container's interfaces: eth{Index} on a managed network with its leased addresses.</summary>
public sealed record ContainerNetwork
{
    public int Index { get; init; }
    public required string Network { get; init; }
    public required string Ipv4 { get; init; }
    public string? Ipv6 { get; init; }
}
