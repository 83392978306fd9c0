using Berth.Contracts;
using Berth.Daemon.Containers;
using Berth.Daemon.Access;

namespace Berth.Daemon.Api;

/// <summary>/api/v1/containers.</summary>
public static class ContainerEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/containers").WithTags("Containers");
        group.MapGet("", (Caller caller, ContainerService s, CancellationToken ct) => s.ListAsync(caller, ct)).Reads();
        group.MapPost("", async (LaunchRequest request, Caller caller, ContainerService s, CancellationToken ct) =>
            JobResults.Accepted(await s.LaunchAsync(caller, request, ct).ConfigureAwait(false))).Changes();
        group.MapGet("/{name}", (string name, Caller caller, ContainerService s, CancellationToken ct) => s.GetAsync(caller, name, ct)).Reads(ObjectKind.Container);
        group.MapDelete("/{name}", async (string name, bool? force, ContainerService s, CancellationToken ct) =>
            JobResults.Accepted(await s.DeleteAsync(name, force ?? false, ct).ConfigureAwait(false))).Changes(ObjectKind.Container);
        group.MapPut("/{name}/state", async (string name, StateChangeRequest request, ContainerService s, CancellationToken ct) =>
            JobResults.Accepted(await s.ChangeStateAsync(name, request, ct).ConfigureAwait(false))).Changes(ObjectKind.Container);
        group.MapPost("/{name}/rename", async (string name, RenameRequest request, ContainerService s, CancellationToken ct) =>
            JobResults.Accepted(await s.RenameAsync(name, request, ct).ConfigureAwait(false))).Changes(ObjectKind.Container);
        group.MapGet("/{name}/config", (string name, ContainerService s, CancellationToken ct) => s.GetConfigAsync(name, ct)).Reads(ObjectKind.Container);
        group.MapPatch("/{name}/config", async (string name, ConfigUpdateRequest request, Caller caller, ContainerService s, CancellationToken ct) =>
            JobResults.Accepted(await s.UpdateConfigAsync(caller, name, request, ct).ConfigureAwait(false))).Changes(ObjectKind.Container);
    }
}
