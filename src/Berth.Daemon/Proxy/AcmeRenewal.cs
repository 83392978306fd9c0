using Berth.Daemon.Hosting;
using Microsoft.Extensions.Options;

namespace Berth.Daemon.Proxy;

/// <summary>
/// Every --Berth:Proxy:AcmeCheckInterval: orders a renewal for each ACME certificate two thirds into its lifetime, and
/// again for a route's certificate whose first order failed, each not before the backoff of its last failure.
/// </summary>
public sealed class AcmeRenewal(AcmeStore acme, CertificateStore certificates, RouteStore routes, AcmeService service, TimeProvider time, IOptions<ProxyOptions> options, ILogger<AcmeRenewal> logger)
    : PeriodicService(time, logger)
{
    protected override TimeSpan Interval => options.Value.AcmeCheckInterval;

    // Orders are never urgent at start (certificates live for weeks), and the first pass would race the store's migration.
    protected override bool RunAtStart => false;

    public override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        if (options.Value.AcmeEmail is not { Length: > 0 })
        {
            return;
        }

        var now = Time.GetUtcNow();
        var issued = (await certificates.ListAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(c => c.Name, StringComparer.Ordinal);
        var auto = (await routes.ListAsync(null, cancellationToken).ConfigureAwait(false)).Where(r => r.Tls == "auto").Select(r => AcmeRequest.NameFor(r.Domain)).ToHashSet(StringComparer.Ordinal);
        foreach (var request in await acme.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            // A route's certificate is kept only while a route asks for it; 'berth cert remove' takes it away.
            if (request.ForRoute && !auto.Contains(request.Name))
            {
                continue;
            }

            var due = issued.TryGetValue(request.Name, out var certificate) ? now >= certificate.RenewAt : request.ForRoute;
            if (due && !(request.NextAttempt > now))
            {
                await service.OrderUnlessInFlightAsync(request.Name, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
