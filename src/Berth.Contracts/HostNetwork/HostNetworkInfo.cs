namespace Berth.Contracts;

/// <summary>Answer of <c>GET /api/v1/host/network</c>: the applied host network file.</summary>
public sealed record HostNetworkInfo
{
    public required IReadOnlyList<HostBridgeInfo> Bridges { get; init; }
}
