using Berth.Contracts;

namespace Berth.Client;

/// <summary>Proxy calls: routes of domains and paths to containers.</summary>
public sealed partial class BerthClient
{
    /// <summary>Every route, or those of one container.</summary>
    public async Task<IReadOnlyList<RouteInfo>> ListRoutesAsync(string? container = null, CancellationToken cancellationToken = default) =>
        await GetAsync<RouteInfo[]>(container is null ? "api/v1/routes" : $"api/v1/routes?container={Escape(container)}", cancellationToken).ConfigureAwait(false);

    public Task<JobInfo> AddRouteAsync(RouteRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync<JobInfo>(HttpMethod.Post, "api/v1/routes", Json(request), cancellationToken);
    }

    /// <summary>Publishes berthd's own web panel and API under a domain through the proxy (admins only).</summary>
    public Task<JobInfo> AddPanelRouteAsync(PanelRouteRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync<JobInfo>(HttpMethod.Post, "api/v1/routes/panel", Json(request), cancellationToken);
    }

    /// <summary>Removes the route of a domain and path prefix (null: the whole domain's "/").</summary>
    public Task<JobInfo> RemoveRouteAsync(string domain, string? path = null, CancellationToken cancellationToken = default) =>
        SendAsync<JobInfo>(HttpMethod.Delete, path is null ? $"api/v1/routes/{Escape(domain)}" : $"api/v1/routes/{Escape(domain)}?path={Escape(path)}", content: null, cancellationToken);
}
