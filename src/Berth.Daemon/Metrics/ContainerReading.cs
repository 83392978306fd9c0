namespace Berth.Daemon.Metrics;

/// <summary>What one container uses right now; usage fields are null when it is not running.</summary>
public sealed record ContainerReading
{
    public required string Name { get; init; }

    /// <summary>The owning user, or "" for root's containers.</summary>
    public required string Owner { get; init; }

    /// <summary>running, stopped, frozen, ... as the API writes it.</summary>
    public required string State { get; init; }

    public double? CpuSeconds { get; init; }
    public long? MemoryBytes { get; init; }
    public long? SwapBytes { get; init; }
    public long? MemoryLimitBytes { get; init; }
    public double? CpuLimitCores { get; init; }
    public long? Processes { get; init; }
    public long? ProcessLimit { get; init; }
    public IReadOnlyList<InterfaceCounters> Interfaces { get; init; } = [];

    /// <summary>Bytes its root filesystem takes, as last measured (refreshed rarely), with its pool.</summary>
    public long? DiskBytes { get; init; }
    public string Pool { get; init; } = "";

    /// <summary>1 healthy, 0 unhealthy; null when it has no health command or no result yet.</summary>
    public double? Healthy { get; init; }

    /// <summary>Restarts its restart policy made since berthd started.</summary>
    public int Restarts { get; init; }
}
