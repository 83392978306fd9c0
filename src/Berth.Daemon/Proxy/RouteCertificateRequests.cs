namespace Berth.Daemon.Proxy;

/// <summary>
/// Takes back what a route's --tls auto asked for when the route goes again (its job failed): a request that no route
/// of the domain asks for any more, for a certificate never issued, is deleted, so the renewal check does not order it
/// for ever. Safe without the ACME service's lock: a route that asks again inserts its row before its request.
/// </summary>
public sealed class RouteCertificateRequests(AcmeStore acme, RouteStore routes, CertificateStore certificates)
{
    public async Task ForgetAsync(string domain, CancellationToken cancellationToken)
    {
        var name = AcmeRequest.NameFor(domain);
        if (await acme.GetAsync(name, cancellationToken).ConfigureAwait(false) is { ForRoute: true }
            && (await routes.ListAsync(null, cancellationToken).ConfigureAwait(false)).All(r => r.Domain != domain || r.Tls != "auto")
            && (await certificates.ListAsync(cancellationToken).ConfigureAwait(false)).All(c => c.Name != name))
        {
            await acme.DeleteAsync(name, cancellationToken).ConfigureAwait(false);
        }
    }
}
