using Berth.Contracts;
using Berth.Daemon.Access;
using Berth.Daemon.Errors;
using Berth.Daemon.Store;

namespace Berth.Daemon.Metrics;

/// <summary>GET /metrics (Prometheus, admins) and the history: /api/v1/containers/{name}/metrics and /api/v1/host/metrics.</summary>
public static class MetricsEndpoints
{
    private static readonly TimeSpan Longest = TimeSpan.FromDays(90);

    public static IEndpointRouteBuilder MapBerthMetrics(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/metrics", async (MetricsCollector collector, CancellationToken ct) =>
            Results.Text(PrometheusText.Render(await collector.ReadAsync(fresh: false, ct).ConfigureAwait(false)), PrometheusText.ContentType))
            .WithTags("Metrics").AdminReads().AcceptsMetricsTokens();

        var api = app.MapGroup("/api/v1").WithTags("Metrics");
        api.MapGet("/containers/{name}/metrics", async (string name, string? since, string? step, ContainerStore containers, MetricsHistory history, TimeProvider time, CancellationToken ct) =>
        {
            var (period, hourly) = Window(since, step);
            _ = await containers.GetAsync(name, ct).ConfigureAwait(false) ?? throw Containers.ContainerName.NotFound(name);
            return history.Query(name, name, time.GetUtcNow(), period, hourly);
        }).Reads(ObjectKind.Container);
        api.MapGet("/host/metrics", (string? since, string? step, MetricsHistory history, TimeProvider time) =>
        {
            var (period, hourly) = Window(since, step);
            return history.Query(MetricsHistory.HostKey, "host", time.GetUtcNow(), period, hourly);
        }).AdminReads();
        api.MapGet("/usage", async (Caller caller, MetricsCollector collector, CancellationToken ct) =>
        {
            // Fresh: two calls a second or two apart (berth top) must see two readings.
            var reading = await collector.ReadAsync(fresh: true, ct).ConfigureAwait(false);
            return reading.Containers.Where(c => caller.MayUse(c.Owner.Length == 0 ? null : c.Owner)).Select(c => Usage(reading.At, c)).ToArray();
        }).Reads();
        return app;
    }

    private static ContainerUsageInfo Usage(DateTimeOffset at, ContainerReading c) => new()
    {
        Name = c.Name,
        Owner = c.Owner.Length == 0 ? null : c.Owner,
        State = c.State,
        At = at,
        CpuSeconds = c.CpuSeconds,
        CpuLimitCores = c.CpuLimitCores,
        MemoryBytes = c.MemoryBytes,
        MemoryLimitBytes = c.MemoryLimitBytes,
        Processes = c.Processes,
        RxBytes = c.Interfaces.Sum(n => n.RxBytes),
        TxBytes = c.Interfaces.Sum(n => n.TxBytes),
    };

    /// <summary>since=6h (default 1h, at most 90d) and step=1m|1h (default 1m up to 48 hours, else 1h).</summary>
    public static (TimeSpan Since, bool Hourly) Window(string? since, string? step)
    {
        var period = TimeSpan.FromHours(1);
        if (since is not null && !(MetricsOptions.TryParse(since, out period) || Storage.Durations.TryParse(since, out period)) || period > Longest)
        {
            throw DomainError.Invalid("Invalid since", $"since={Hosting.ControlCharacters.Visible(since)}: expected a period such as 30m, 6h or 7d, at most 90d.");
        }

        var hourly = step switch
        {
            null => period > TimeSpan.FromHours(48),
            "1m" => false,
            "1h" => true,
            _ => throw DomainError.Invalid("Invalid step", $"step={Hosting.ControlCharacters.Visible(step)}: expected 1m (a point per sampling interval) or 1h (hourly means)."),
        };
        return (period, hourly);
    }
}
