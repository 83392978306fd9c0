using Berth.Contracts;
using Berth.Daemon.Containers;
using Berth.Daemon.Hosting;
using Berth.Daemon.Jobs;
using Berth.Daemon.Native;
using Berth.Daemon.Access;

namespace Berth.Daemon.Api;

/// <summary>/api/v1 (server info) and /api/v1/admin.</summary>
public static class AdminEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        // The host's paths and id map are an admin's business; a member sees the version and what a container runs on.
        api.MapGet("", (Caller caller, StatePaths paths, HostCgroups cgroups, HostIdMap idMap) => new ServerInfo
        {
            Version = typeof(AdminEndpoints).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
            StateDir = caller.IsAdmin ? paths.Root : "",
            LxcPath = caller.IsAdmin ? paths.LxcPath : "",
            CgroupVersion = cgroups.Version == CgroupVersion.V1 ? "v1" : "v2",
            IdMap = caller.IsAdmin ? idMap.Map?.ToString() ?? "none (unprivileged containers unavailable)" : "",
        }).WithTags("Server").Reads();
        api.MapGet("/lxc-version", () => LxcContainer.Version).ExcludeFromDescription().AdminReads();
        api.MapGet("/admin/endpoints", (EndpointDataSource source) => source.Endpoints.OfType<RouteEndpoint>()
            .Select(e => new EndpointInfo
            {
                Method = string.Join(',', e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"]),
                Route = ApiRoutes.RouteOf(e),
                Permission = e.Metadata.GetMetadata<EndpointPermission>()?.ToString() ?? "none",
            })
            .OrderBy(e => e.Route, StringComparer.Ordinal).ThenBy(e => e.Method, StringComparer.Ordinal)
            .ToList()).WithTags("Admin").AdminReads();
        api.MapPost("/admin/shutdown", async (JobQueue jobs, CancellationToken ct) =>
            JobResults.Accepted(await jobs.SubmitAsync(JobKinds.HostShutdown, "host", new { }, ct).ConfigureAwait(false))).WithTags("Admin").AdminChanges();
    }
}
