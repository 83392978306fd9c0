using Berth.Daemon.Hosting;
using Microsoft.Extensions.Options;

namespace Berth.Daemon.Proxy;

/// <summary>
/// At start and every reconcile interval: renders nginx's configuration from the store and applies it when it
/// differs (a container got a new address, a route's container was deleted), and starts nginx again when it died.
/// </summary>
public sealed class ProxyReconciler(ReverseProxy proxy, TimeProvider time, IOptions<BerthOptions> options, ILogger<ProxyReconciler> logger)
    : PeriodicService(time, logger)
{
    protected override TimeSpan Interval => options.Value.ReconcileInterval;

    public override Task RunOnceAsync(CancellationToken cancellationToken) => proxy.ApplyAsync(cancellationToken);
}
