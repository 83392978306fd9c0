namespace Berth.Contracts;

/// <summary>The log of a container's last update: apt's output, the health check and any rollback.</summary>
public sealed record UpdateLogInfo
{
    public required string Container { get; init; }
    public required string JobId { get; init; }
    public required string Text { get; init; }
}
