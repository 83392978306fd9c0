namespace Berth.Daemon.Networking;

/// <summary>Host port(s) DNATed to a container's port(s); ranges map one to one.</summary>
public sealed record PortForward
{
    public required string Container { get; init; }
    public required string Protocol { get; init; }
    public required int HostPort { get; init; }
    public required int HostPortEnd { get; init; }
    public required int ContainerPort { get; init; }
    public required int ContainerPortEnd { get; init; }
    /// <summary>Only traffic to this host address; null: any address of the host.</summary>
    public string? ListenAddress { get; init; }
    /// <summary>The container's leased address, filled in when the firewall is rendered.</summary>
    public string? TargetAddress { get; init; }
    /// <summary>The container's IPv6 address on a network with IPv6, which IPv6 traffic to the host port goes to.</summary>
    public string? TargetAddress6 { get; init; }
    /// <summary>True for the forward that 'berth ssh enable' made.</summary>
    public bool Ssh { get; init; }
}
