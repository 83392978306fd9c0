using Berth.Contracts;
using Berth.Daemon.Containers;
using Berth.Daemon.Access;

namespace Berth.Daemon.Api;

/// <summary>POST /api/v1/containers/{name}/copy and POST /api/v1/containers/import.</summary>
public static class ContainerCopyEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/containers/{name}/copy", async (string name, CopyRequest request, ContainerCopyService s, CancellationToken ct) =>
            JobResults.Accepted(await s.CopyAsync(name, request, ct).ConfigureAwait(false))).WithTags("Containers").Changes(ObjectKind.Container);
        api.MapPost("/containers/import", async (ImportRequest request, ContainerCopyService s, CancellationToken ct) =>
            JobResults.Accepted(await s.ImportAsync(request, ct).ConfigureAwait(false))).WithTags("Containers").AdminChanges();
    }
}
