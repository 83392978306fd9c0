using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;

namespace Berth.Daemon.Hosting;

/// <summary>
/// The host's server: Kestrel on the Unix socket, started first and alone able to fail the start, then the network
/// listeners with the same application, each on its own (one Kestrel failing to bind an endpoint fails all of them).
/// </summary>
public sealed class DaemonServer(IServer socketServer, IReadOnlyList<NetworkListener> listeners) : IServer
{
    public IFeatureCollection Features => socketServer.Features;

    public async Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull
    {
        await socketServer.StartAsync(application, cancellationToken).ConfigureAwait(false);
        foreach (var listener in listeners)
        {
            listener.Start(application);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var listener in listeners)
        {
            await listener.StopAsync(cancellationToken).ConfigureAwait(false);
        }

        await socketServer.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        foreach (var listener in listeners)
        {
            listener.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        socketServer.Dispose();
    }
}
