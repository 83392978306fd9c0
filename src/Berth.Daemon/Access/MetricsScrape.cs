namespace Berth.Daemon.Access;

/// <summary>Endpoint metadata: a metrics-only token may call this endpoint (GET /metrics); it may call no other.</summary>
public sealed record MetricsScrape
{
    public static MetricsScrape Instance { get; } = new();
}
