using Berth.Contracts;
using Berth.Daemon.Errors;
using Berth.Daemon.Jobs;
using Berth.Daemon.Store;

namespace Berth.Daemon.Proxy;

/// <summary>The panel's route: berthd's own panel and API published under a domain through the proxy, to the loopback HTTP listener.</summary>
public sealed partial class RouteService
{
    /// <summary>Adds the panel's route for a domain (the endpoint is admin only): validated, checked by nginx, stored, then applied by a job.</summary>
    public async Task<JobRecord> AddPanelAsync(PanelRouteRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!proxy.Enabled)
        {
            throw ReverseProxy.ProxyOff();
        }

        if (panel.Address is not { } address)
        {
            throw DomainError.Conflict("No HTTP listener", "the panel's route goes to berthd's loopback HTTP listener, and berthd runs without one; start berthd with --http 127.0.0.1:PORT.");
        }

        if (!DomainName.TryNormalise(request.Domain, out var domain, out var domainError))
        {
            throw DomainError.Invalid("Invalid domain", domainError + ".");
        }

        var tls = ValidateTls(request.Tls, request.RedirectHttps);
        var route = new ProxyRoute
        {
            Domain = domain,
            Path = "/",
            Container = PanelUpstream.Marker,
            Port = panel.Endpoint!.Port,
            MaxBody = "0",
            Timeout = "1h",
            Websocket = true,
            Tls = tls,
            RedirectHttps = request.RedirectHttps,
            CreatedAt = time.GetUtcNow(),
            Panel = true,
            TargetAddress = address,
        };

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await bans.RequireAllowedAsync(domain, cancellationToken).ConfigureAwait(false);
            var existing = (await routes.ListAsync(null, cancellationToken).ConfigureAwait(false)).Where(r => r.Domain == domain).ToList();
            if (existing.Any(r => r.Panel))
            {
                throw DomainError.Conflict("Route exists", $"the panel is published at {Show(domain)} already.");
            }

            if (existing.Count > 0)
            {
                throw DomainError.Conflict("Domain in use", $"{Show(domain)} is routed to {string.Join(", ", existing.Select(r => $"'{r.Container}' ({r.Path})").Distinct())}, and the panel takes a whole domain; choose another name or remove those routes first.");
            }

            await RequireCertificateAsync(tls, domain, cancellationToken).ConfigureAwait(false);
            await proxy.CheckAsync(route, cancellationToken).ConfigureAwait(false);
            if (!await routes.TryInsertPanelAsync(route, cancellationToken).ConfigureAwait(false))
            {
                throw DomainError.Conflict("Route exists", $"the panel is published at {Show(domain)} already.");
            }

            try
            {
                if (tls == "auto")
                {
                    await acme.RequestForRouteAsync(domain, cancellationToken).ConfigureAwait(false);
                }

                return await jobs.SubmitAsync(ProxyJobKinds.RouteAdd, ProxyJobKinds.Target, new RouteArgs(domain, "/", PanelUpstream.Marker), cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await routes.DeleteAsync(domain, "/", CancellationToken.None).ConfigureAwait(false);
                await pending.ForgetAsync(domain, CancellationToken.None).ConfigureAwait(false);
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A container route for a domain the panel is published at: refused, the panel takes the whole domain.</summary>
    private static DomainError PanelDomain(string domain) =>
        DomainError.Conflict("Domain in use", $"{Show(domain)} publishes berthd's panel, which takes the whole domain; choose another name, or remove the panel's route first (DELETE /api/v1/routes/{domain}).");
}
