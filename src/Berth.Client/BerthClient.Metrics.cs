using Berth.Contracts;

namespace Berth.Client;

/// <summary>Metrics: the Prometheus text, current usage and the history berthd keeps.</summary>
public sealed partial class BerthClient
{
    /// <summary>GET /metrics as text (admins).</summary>
    public async Task<string> GetPrometheusMetricsAsync(CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "metrics");
        using var response = await SendRawAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every container the caller may see, with its counters now.</summary>
    public async Task<IReadOnlyList<ContainerUsageInfo>> GetUsageAsync(CancellationToken cancellationToken = default) =>
        await GetAsync<ContainerUsageInfo[]>("api/v1/usage", cancellationToken).ConfigureAwait(false);

    /// <summary>A container's history; <paramref name="since"/> such as 1h or 7d, <paramref name="step"/> 1m or 1h (null: the daemon picks).</summary>
    public Task<MetricsHistoryInfo> GetContainerMetricsAsync(string name, string since = "1h", string? step = null, CancellationToken cancellationToken = default) =>
        GetAsync<MetricsHistoryInfo>($"api/v1/containers/{Escape(name)}/metrics?since={Uri.EscapeDataString(since)}{(step is null ? "" : "&step=" + Uri.EscapeDataString(step))}", cancellationToken);

    /// <summary>The host's history (admins).</summary>
    public Task<MetricsHistoryInfo> GetHostMetricsAsync(string since = "1h", string? step = null, CancellationToken cancellationToken = default) =>
        GetAsync<MetricsHistoryInfo>($"api/v1/host/metrics?since={Uri.EscapeDataString(since)}{(step is null ? "" : "&step=" + Uri.EscapeDataString(step))}", cancellationToken);
}
