namespace Berth.Daemon.Storage;

/// <summary>Arguments of storage and snapshot jobs.</summary>
public sealed record StorageArgs
{
    public string? Pool { get; init; }
    public string? Driver { get; init; }
    public string? Source { get; init; }
    public long? SizeBytes { get; init; }
    public string? Container { get; init; }
    public string? Snapshot { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public bool Stop { get; init; }
    public string? File { get; init; }
    public bool WithSnapshots { get; init; }
    /// <summary>An export the API streams to the caller: events name no host path.</summary>
    public bool Download { get; init; }
}
