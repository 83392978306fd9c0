namespace Berth.Contracts;

/// <summary>A container's (or the host's) history from GET .../metrics?since=6h&amp;step=1m|1h.</summary>
public sealed record MetricsHistoryInfo
{
    /// <summary>The container's name, or "host".</summary>
    public required string Name { get; init; }
    /// <summary>1m (one point per sampling interval) or 1h (hourly means).</summary>
    public required string Step { get; init; }
    /// <summary>Seconds between points of step 1m: the daemon's sampling interval (60 by default).</summary>
    public required int IntervalSeconds { get; init; }
    public required IReadOnlyList<MetricsPoint> Points { get; init; }
}
