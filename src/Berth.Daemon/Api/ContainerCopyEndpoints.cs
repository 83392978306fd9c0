using Berth.Contracts;
using Berth.Daemon.Containers;
using Berth.Daemon.Access;
using Berth.Daemon.Networking;
using Berth.Daemon.Storage;

namespace Berth.Daemon.Api;

/// <summary>POST /api/v1/containers/{name}/copy and POST /api/v1/containers/import.</summary>
public static class ContainerCopyEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/containers/{name}/copy", async (string name, CopyRequest request, Caller caller, NetworkOwners networks, ContainerCopyService s, CancellationToken ct) =>
        {
            foreach (var network in request.Networks?.Select(n => n.Name) ?? (request.Network is { } one ? [one] : []))
            {
                await networks.RequireUsableAsync(caller, network, ct).ConfigureAwait(false);
            }

            return JobResults.Accepted(await s.CopyAsync(name, request, ct).ConfigureAwait(false));
        }).WithTags("Containers").Changes(ObjectKind.Container);
        api.MapPost("/containers/import", async (HttpRequest http, Caller caller, ContainerCopyService s, ArchiveUploads uploads, CancellationToken ct) =>
            JobResults.Accepted(await uploads.ImportAsync(http, caller, s, ct).ConfigureAwait(false))).WithTags("Containers").Changes();
    }
}
