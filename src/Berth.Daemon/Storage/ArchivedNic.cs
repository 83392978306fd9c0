namespace Berth.Daemon.Storage;

/// <summary>One of the archived container's interfaces, in order (eth0 first): its network and the addresses it had there.</summary>
public sealed record ArchivedNic
{
    public required string Network { get; init; }
    public string? Ipv4 { get; init; }
    public string? Ipv6 { get; init; }
}
