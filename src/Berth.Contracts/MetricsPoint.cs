namespace Berth.Contracts;

/// <summary>One point of a metrics history: rates over the interval before <see cref="At"/>, or an hour's means.</summary>
public sealed record MetricsPoint
{
    public required DateTimeOffset At { get; init; }
    /// <summary>CPU cores in use (1.5 = one and a half CPUs busy).</summary>
    public double? CpuCores { get; init; }
    public double? MemoryBytes { get; init; }
    public double? RxBytesPerSecond { get; init; }
    public double? TxBytesPerSecond { get; init; }
    /// <summary>Root filesystem bytes; in hourly points only.</summary>
    public double? DiskBytes { get; init; }
}
