namespace Berth.Contracts;

/// <summary>Body of <c>POST /api/v1/containers/{name}/export</c>: write a portable archive to a file on the daemon's host.</summary>
public sealed record ExportRequest
{
    public required string File { get; init; }
    public bool Snapshots { get; init; }
}
