using Berth.Contracts;
using Berth.Daemon.Access;

namespace Berth.Daemon.HostNetwork;

/// <summary>/api/v1/host/network: the applied host network file, and applying one (admins only).</summary>
public static class HostNetworkEndpoints
{
    public static IEndpointRouteBuilder MapBerthHostNetwork(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/host/network").WithTags("Host network");
        group.MapGet("", (HostApplier applier, CancellationToken ct) => applier.ShowAsync(ct)).AdminReads();
        group.MapPost("/apply", (HostApplyRequest request, HostApplier applier, CancellationToken ct) => applier.ApplyAsync(request, ct)).AdminChanges();
        return api;
    }

    public static IServiceCollection AddBerthHostNetwork(this IServiceCollection services)
    {
        services.AddSingleton<HostBridgeStore>();
        services.AddSingleton<HostPlanner>();
        services.AddSingleton<HostApplier>();
        services.AddHostedService<HostNetworkStartup>();
        return services;
    }
}
