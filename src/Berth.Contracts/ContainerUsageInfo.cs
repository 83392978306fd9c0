namespace Berth.Contracts;

/// <summary>A container's counters and gauges right now (GET /api/v1/usage): two readings give rates.</summary>
public sealed record ContainerUsageInfo
{
    public required string Name { get; init; }
    /// <summary>null: root owns it.</summary>
    public string? Owner { get; init; }
    public required string State { get; init; }
    /// <summary>When the daemon read the counters.</summary>
    public required DateTimeOffset At { get; init; }
    public double? CpuSeconds { get; init; }
    public double? CpuLimitCores { get; init; }
    public long? MemoryBytes { get; init; }
    public long? MemoryLimitBytes { get; init; }
    public long? Processes { get; init; }
    /// <summary>Bytes received and sent over all its interfaces since it started.</summary>
    public long RxBytes { get; init; }
    public long TxBytes { get; init; }
}
