namespace Berth.Contracts;

/// <summary><c>GET /api/v1</c>: what the daemon is and where it keeps its state.</summary>
public sealed record ServerInfo
{
    public required string Version { get; init; }
    public required string StateDir { get; init; }
    public required string LxcPath { get; init; }
    public required string CgroupVersion { get; init; }
    public required string IdMap { get; init; }
}
