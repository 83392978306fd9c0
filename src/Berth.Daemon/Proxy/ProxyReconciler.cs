using Berth.Daemon.Hosting;
using Microsoft.Extensions.Options;

namespace Berth.Daemon.Proxy;

/// <summary>
/// At start and every reconcile interval: renders nginx's configuration from the store and applies it when it
/// differs (a container got a new address, a route's container was deleted), and starts nginx again when it died.
/// </summary>
public sealed class ProxyReconciler(ReverseProxy proxy, IHostApplicationLifetime lifetime, TimeProvider time, IOptions<BerthOptions> options, ILogger<ProxyReconciler> logger)
    : PeriodicService(time, logger)
{
    protected override TimeSpan Interval => options.Value.ReconcileInterval;

    public override Task RunOnceAsync(CancellationToken cancellationToken) => proxy.ApplyAsync(cancellationToken);

    // The first pass waits until every hosted service has started: the store is migrated (a first start has no tables before) and jobs are recovered.
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        await base.ExecuteAsync(stoppingToken).ConfigureAwait(false);
    }
}
