namespace Berth.Contracts;

/// <summary>A port forward: host port(s) to a container's port(s), one protocol.</summary>
public sealed record ForwardInfo
{
    public required string Container { get; init; }
    /// <summary>tcp or udp.</summary>
    public required string Protocol { get; init; }
    public required int HostPort { get; init; }
    public required int HostPortEnd { get; init; }
    public required int ContainerPort { get; init; }
    public required int ContainerPortEnd { get; init; }
    /// <summary>Only traffic to this host address is forwarded; null: any of the host's addresses.</summary>
    public string? ListenAddress { get; init; }
    /// <summary>The container's address the traffic goes to.</summary>
    public string? TargetAddress { get; init; }
    /// <summary>The container's IPv6 address that IPv6 traffic goes to, on networks with IPv6.</summary>
    public string? TargetAddress6 { get; init; }
    /// <summary>True for the SSH port made by <c>berth ssh enable</c>.</summary>
    public bool Ssh { get; init; }
}
