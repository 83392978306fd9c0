using System.Net;
using Microsoft.AspNetCore.Hosting.Server;

namespace Berth.Daemon.Hosting;

/// <summary>Puts the --http and --https listeners beside the socket's Kestrel, in <see cref="DaemonServer"/>.</summary>
public static class NetworkListenerServices
{
    public static IServiceCollection AddBerthNetworkListeners(this IServiceCollection services, BerthOptions options, StatePaths paths, IPEndPoint? http, IPEndPoint? https)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        var kestrel = services.Last(d => d.ServiceType == typeof(IServer));
        services.Remove(kestrel);
        services.AddSingleton<IServer>(provider =>
        {
            var socketServer = kestrel.ImplementationInstance as IServer
                ?? (kestrel.ImplementationFactory is { } factory
                    ? (IServer)factory(provider)
                    : (IServer)ActivatorUtilities.CreateInstance(provider, kestrel.ImplementationType!));
            var listeners = new List<NetworkListener>();
            if (http is not null)
            {
                listeners.Add(new NetworkListener(http, null, provider, options.ListenRetryInterval));
            }

            if (https is not null)
            {
                listeners.Add(new NetworkListener(https, () => ServerCertificate.LoadOrCreate(options, paths, https), provider, options.ListenRetryInterval));
            }

            return new DaemonServer(socketServer, listeners);
        });
        return services;
    }
}
