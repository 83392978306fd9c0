using Berth.Contracts;
using Berth.Daemon.Containers;

namespace Berth.Daemon.Api;

/// <summary>/api/v1/containers.</summary>
public static class ContainerEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/containers").WithTags("Containers");
        group.MapGet("", (ContainerService s, CancellationToken ct) => s.ListAsync(ct));
        group.MapPost("", async (LaunchRequest request, ContainerService s, CancellationToken ct) =>
            JobResults.Accepted(await s.LaunchAsync(request, ct).ConfigureAwait(false)));
        group.MapGet("/{name}", (string name, ContainerService s, CancellationToken ct) => s.GetAsync(name, ct));
        group.MapDelete("/{name}", async (string name, bool? force, ContainerService s, CancellationToken ct) =>
            JobResults.Accepted(await s.DeleteAsync(name, force ?? false, ct).ConfigureAwait(false)));
        group.MapPut("/{name}/state", async (string name, StateChangeRequest request, ContainerService s, CancellationToken ct) =>
            JobResults.Accepted(await s.ChangeStateAsync(name, request, ct).ConfigureAwait(false)));
        group.MapPost("/{name}/rename", async (string name, RenameRequest request, ContainerService s, CancellationToken ct) =>
            JobResults.Accepted(await s.RenameAsync(name, request, ct).ConfigureAwait(false)));
        group.MapGet("/{name}/config", (string name, ContainerService s, CancellationToken ct) => s.GetConfigAsync(name, ct));
        group.MapPatch("/{name}/config", async (string name, ConfigUpdateRequest request, ContainerService s, CancellationToken ct) =>
            JobResults.Accepted(await s.UpdateConfigAsync(name, request, ct).ConfigureAwait(false)));
    }
}
