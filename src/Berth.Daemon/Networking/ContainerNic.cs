namespace Berth.Daemon.Networking;

/// <summary>A container's interface on a managed network: its lease and the network it came from.</summary>
public sealed record ContainerNic
{
    public required NetworkRecord Network { get; init; }
    public required string Address { get; init; }
    public string? Address6 { get; init; }
    public required string HardwareAddress { get; init; }
    /// <summary>The interface's index: eth0 is 0 and carries the default route.</summary>
    public int Index { get; init; }
}
