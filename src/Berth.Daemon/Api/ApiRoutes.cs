using Berth.Daemon.Access;
using Berth.Daemon.Audit;
using Berth.Daemon.Backups;
using Berth.Daemon.Consoles;
using Berth.Daemon.Files;
using Berth.Daemon.Metrics;
using Berth.Daemon.Networking;
using Berth.Daemon.Panel;
using Berth.Daemon.Proxy;
using Berth.Daemon.Storage;
using Berth.Daemon.Users;

namespace Berth.Daemon.Api;

/// <summary>Every endpoint berthd serves, mapped in one place so the daemon and its tests see the same set.</summary>
public static class ApiRoutes
{
    public static void Map(IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapOpenApi().Reads();
        var api = app.MapGroup("/api/v1");
        AdminEndpoints.Map(api);
        AuthEndpoints.Map(api);
        ContainerEndpoints.Map(api);
        ExecEndpoints.Map(api);
        api.MapBerthConsole();
        ImageEndpoints.Map(api);
        JobEndpoints.Map(api);
        EventEndpoints.Map(api);
        NetworkEndpoints.Map(api);
        ForwardEndpoints.Map(api);
        StorageEndpoints.Map(api);
        ArchiveStreamEndpoints.Map(api);
        ContainerCopyEndpoints.Map(api);
        api.MapBerthProxy();
        api.MapBerthUsers();
        api.MapBerthQuotas();
        api.MapBerthAudit();
        api.MapBerthBackups();
        api.MapBerthFiles();
        Updates.UpdateEndpoints.MapBerthUpdates(api);
        Stacks.StackEndpoints.MapBerthStacks(api);
        HostNetwork.HostNetworkEndpoints.MapBerthHostNetwork(api);
        app.MapBerthMetrics();
        PanelEndpoints.Map(app);
    }

    /// <summary>"METHOD /pattern" of every endpoint that does not declare what it needs (see <see cref="Permits"/>).</summary>
    public static IReadOnlyList<string> Undeclared(IEndpointRouteBuilder app) =>
        [.. Endpoints(app).Where(e => e.Metadata.GetMetadata<EndpointPermission>() is null).Select(Describe)];

    /// <summary>Every route endpoint, with what it declares.</summary>
    public static IEnumerable<RouteEndpoint> Endpoints(IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>();
    }

    public static string Describe(RouteEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"];
        return $"{string.Join(',', methods)} {RouteOf(endpoint)}";
    }

    /// <summary>The route as OpenAPI writes it: no trailing slash on a group's own path, parameters without constraints or catch-all stars.</summary>
    public static string RouteOf(RouteEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return "/" + System.Text.RegularExpressions.Regex.Replace(endpoint.RoutePattern.RawText?.Trim('/') ?? "", @"\{\*{0,2}([^}:?]+)[^}]*\}", "{$1}");
    }
}
