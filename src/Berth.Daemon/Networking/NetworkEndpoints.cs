using Berth.Contracts;
using Berth.Daemon.Api;

namespace Berth.Daemon.Networking;

/// <summary>/api/v1/networks.</summary>
public static class NetworkEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/networks").WithTags("Networks");
        group.MapGet("", (NetworkService s, CancellationToken ct) => s.ListAsync(ct));
        group.MapPost("", async (NetworkCreateRequest request, NetworkService s, CancellationToken ct) =>
            JobResults.Accepted(await s.CreateAsync(request, ct).ConfigureAwait(false)));
        group.MapGet("/{name}", (string name, NetworkService s, CancellationToken ct) => s.GetAsync(name, ct));
        group.MapDelete("/{name}", async (string name, NetworkService s, CancellationToken ct) =>
            JobResults.Accepted(await s.DeleteAsync(name, ct).ConfigureAwait(false)));
    }
}
