using Berth.Contracts;
using Berth.Daemon.Access;
using Berth.Daemon.Api;

namespace Berth.Daemon.Updates;

/// <summary>/api/v1/updates and /api/v1/containers/{name}/updates.</summary>
public static class UpdateEndpoints
{
    public static IEndpointRouteBuilder MapBerthUpdates(this IEndpointRouteBuilder api)
    {
        api.MapGet("/updates", (Caller caller, UpdateService s, CancellationToken ct) => s.ListAsync(caller, ct)).WithTags("Updates").Reads();
        var container = api.MapGroup("/containers/{name}/updates").WithTags("Updates");
        container.MapGet("", (string name, bool? pending, Caller caller, UpdateService s, CancellationToken ct) => s.StatusAsync(caller, name, pending == true, ct)).Reads(ObjectKind.Container);
        container.MapPost("", async (string name, UpdateRunRequest request, Caller caller, UpdateService s, CancellationToken ct) =>
            JobResults.Accepted(await s.RunAsync(caller, name, ct).ConfigureAwait(false))).Changes(ObjectKind.Container);
        container.MapGet("/log", (string name, Caller caller, UpdateService s, CancellationToken ct) => s.LogAsync(caller, name, ct)).Reads(ObjectKind.Container);
        return api;
    }
}
