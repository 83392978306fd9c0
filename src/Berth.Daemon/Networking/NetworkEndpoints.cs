using Berth.Contracts;
using Berth.Daemon.Api;
using Berth.Daemon.Access;

namespace Berth.Daemon.Networking;

/// <summary>/api/v1/networks.</summary>
public static class NetworkEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/networks").WithTags("Networks");
        group.MapGet("", async (Caller caller, NetworkService s, NetworkStore store, CancellationToken ct) =>
        {
            var all = await s.ListAsync(ct).ConfigureAwait(false);
            if (caller.IsAdmin)
            {
                return all;
            }

            // A member sees the shared networks and their own.
            var visible = new List<Contracts.NetworkInfo>();
            foreach (var network in all)
            {
                if (await store.FindOwnerAsync(network.Name, ct).ConfigureAwait(false) is { } found && found.Permits(caller))
                {
                    visible.Add(network);
                }
            }

            return visible;
        }).Reads();
        group.MapPost("", async (NetworkCreateRequest request, Caller caller, NetworkService s, CancellationToken ct) =>
            JobResults.Accepted(await s.CreateAsync(caller, request, ct).ConfigureAwait(false))).Changes();
        group.MapGet("/{name}", (string name, NetworkService s, CancellationToken ct) => s.GetAsync(name, ct)).Reads(ObjectKind.Network);
        group.MapDelete("/{name}", async (string name, Caller caller, NetworkService s, CancellationToken ct) =>
            JobResults.Accepted(await s.DeleteAsync(caller, name, ct).ConfigureAwait(false))).Changes(ObjectKind.Network);
    }
}
