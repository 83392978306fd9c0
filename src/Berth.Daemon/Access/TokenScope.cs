namespace Berth.Daemon.Access;

/// <summary>What a user's token may reach: everything its user may, or only the Prometheus scrape (GET /metrics).</summary>
public enum TokenScope
{
    Full,
    Metrics,
}
