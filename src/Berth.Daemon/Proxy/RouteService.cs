using System.Text.RegularExpressions;
using Berth.Contracts;
using Berth.Daemon.Access;
using Berth.Daemon.Api;
using Berth.Daemon.Jobs;
using Berth.Daemon.Store;
using Microsoft.Extensions.Options;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Proxy;

/// <summary>Routes: validated here (refused with the reason, nothing changed), checked by nginx, stored, then applied by a job.</summary>
public sealed partial class RouteService(RouteStore routes, ContainerStore containers, ReverseProxy proxy, DomainBanService bans, CertificateStore certificates, AcmeService acme, RouteCertificateRequests pending, ProxyPaths paths, PanelUpstream panel, JobQueue jobs, IOptions<ProxyOptions> options, TimeProvider time)
{
    // The uniqueness check, nginx's check and the insert happen under one lock, so two adds cannot take one path.
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The routes <paramref name="caller"/> may see (a member: those to their own containers), of one container or all.</summary>
    public async Task<IReadOnlyList<RouteInfo>> ListAsync(Caller caller, string? container, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (container is not null && (await containers.GetAsync(container, cancellationToken).ConfigureAwait(false) is not { } record || !caller.MayUse(record.Owner)))
        {
            throw Containers.ContainerName.NotFound(container);
        }

        var all = await routes.ListAsync(null, cancellationToken).ConfigureAwait(false);
        var issued = await certificates.ListAsync(cancellationToken).ConfigureAwait(false);
        return [.. all.Where(r => (container is null || r.Container == container) && caller.MayUse(r.Owner)).Select(r => Describe(r, all, issued))];
    }

    public async Task<JobRecord> AddAsync(Caller caller, RouteRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        if (!proxy.Enabled)
        {
            throw ReverseProxy.ProxyOff();
        }

        if (!DomainName.TryNormalise(request.Domain, out var domain, out var domainError))
        {
            throw DomainError.Invalid("Invalid domain", domainError + ".");
        }

        if (!RoutePath.TryNormalise(request.Path, out var path, out var pathError))
        {
            throw DomainError.Invalid("Invalid path", pathError + ".");
        }

        if (path.StartsWith(ChallengePath, StringComparison.Ordinal))
        {
            throw DomainError.Invalid("Path reserved", $"{ChallengePath} is where the proxy answers ACME's HTTP-01 challenge for every domain; route another path.");
        }

        var tls = ValidateTls(request.Tls, request.RedirectHttps);
        var port = request.Port ?? 80;
        if (port is < 1 or > 65535)
        {
            throw DomainError.Invalid("Invalid port", $"port {port} is not a TCP port; give the container's port, 1-65535.");
        }

        var maxBody = request.MaxBody ?? "100m";
        if (!Size().IsMatch(maxBody))
        {
            throw DomainError.Invalid("Invalid maximum body size", $"'{maxBody}' is not a size such as 10m, 512k or 1g (0 for no limit).");
        }

        var timeout = request.Timeout ?? "60s";
        if (!Duration().IsMatch(timeout))
        {
            throw DomainError.Invalid("Invalid timeout", $"'{timeout}' is not a duration such as 90s, 5m or 1h.");
        }

        // Another member's container answers as one that does not exist.
        var container = await containers.GetAsync(request.Container, cancellationToken).ConfigureAwait(false) is { } found && caller.MayUse(found.Owner)
            ? found
            : throw Containers.ContainerName.NotFound(request.Container);
        if (!caller.IsAdmin)
        {
            RequireMemberDomain(domain, tls);
        }

        if (container.Nic is null)
        {
            throw DomainError.Conflict("Container has no network", $"'{container.Name}' is not on a managed network, so the proxy cannot reach it; give it a network (network when launching, or config network=NAME).");
        }

        var route = new ProxyRoute
        {
            Domain = domain,
            Path = path,
            Container = container.Name,
            Port = port,
            MaxBody = maxBody,
            Timeout = timeout,
            Websocket = request.Websocket,
            Tls = tls,
            RedirectHttps = request.RedirectHttps,
            CreatedAt = time.GetUtcNow(),
            TargetAddress = container.Nic.Address,
        };

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await bans.RequireAllowedAsync(domain, cancellationToken).ConfigureAwait(false);
            var existing = await routes.ListAsync(null, cancellationToken).ConfigureAwait(false);
            if (!caller.IsAdmin && existing.Any(r => r.Domain == domain && !string.Equals(r.Owner, container.Owner, StringComparison.Ordinal)))
            {
                // Whose it is stays unsaid: a member learns only that the name is not free.
                throw DomainError.Conflict("Domain taken", $"{Show(domain)} is routed by another owner, and a domain's paths belong to one owner; choose another name.");
            }

            if (existing.Any(r => r.Domain == domain && r.Panel))
            {
                throw PanelDomain(domain);
            }

            if (existing.FirstOrDefault(r => r.Domain == domain && r.Path == path) is { } same)
            {
                throw DomainError.Conflict("Route exists", $"{Show(domain)}{path} already goes to '{same.Container}'; remove it first (DELETE /api/v1/routes/{domain}{(string.IsNullOrEmpty(path) ? "" : "?path=" + path)}).");
            }

            if (tls is not null && existing.FirstOrDefault(r => r.Domain == domain && r.Tls is not null && r.Tls != tls) is { } other)
            {
                throw DomainError.Conflict("TLS differs", $"{Show(domain)}{other.Path} has tls: {other.Tls}, and one domain has one certificate; give tls: {other.Tls} or leave it out.");
            }

            await RequireCertificateAsync(tls, domain, cancellationToken).ConfigureAwait(false);

            await proxy.CheckAsync(route, cancellationToken).ConfigureAwait(false);
            if (!await routes.TryInsertAsync(route, Users.QuotaDemand.ForRoute(caller, container.Name), cancellationToken).ConfigureAwait(false))
            {
                throw DomainError.Conflict("Route exists", $"{Show(domain)}{path} is already routed.");
            }

            try
            {
                if (tls == "auto")
                {
                    // Its own job (target cert:NAME): the route serves HTTP whatever the order's fate. Asked for before the
                    // route's job starts, so that job's undo finds the request to take back.
                    await acme.RequestForRouteAsync(domain, cancellationToken).ConfigureAwait(false);
                }

                return await jobs.SubmitAsync(ProxyJobKinds.RouteAdd, ProxyJobKinds.Target, new RouteArgs(domain, path, container.Name), cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await routes.DeleteAsync(domain, path, CancellationToken.None).ConfigureAwait(false);
                await pending.ForgetAsync(domain, CancellationToken.None).ConfigureAwait(false);
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<JobRecord> RemoveAsync(Caller caller, string domainText, string? pathText, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!DomainName.TryNormalise(domainText, out var domain, out var domainError))
        {
            throw DomainError.Invalid("Invalid domain", domainError + ".");
        }

        if (!RoutePath.TryNormalise(pathText, out var path, out var pathError))
        {
            throw DomainError.Invalid("Invalid path", pathError + ".");
        }

        var route = (await routes.ListAsync(null, cancellationToken).ConfigureAwait(false)).FirstOrDefault(r => r.Domain == domain && r.Path == path && caller.MayUse(r.Owner))
            ?? throw NotFound(Show(domain), path);

        // The row goes now, as an add's row comes in its request: removes asked for together are then all in the first
        // job's render, and nginx reloads once for them (each reload closes every idle keepalive connection). Should the
        // job not start, the reconciler's next pass takes the route out of nginx.
        await routes.DeleteAsync(route.Domain, route.Path, cancellationToken).ConfigureAwait(false);
        return await jobs.SubmitAsync(ProxyJobKinds.RouteRemove, ProxyJobKinds.Target, new RouteArgs(route.Domain, route.Path, route.Container), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The route's tls (null when not given), refused when it is not one the proxy can serve.</summary>
    private string? ValidateTls(string? given, bool redirectHttps)
    {
        var tls = given is { Length: > 0 } ? given : null;
        if (tls is not null && tls != "auto" && tls != "off" && !CertificateName().IsMatch(tls))
        {
            throw DomainError.Invalid("Invalid tls", $"'{tls}' is neither auto, off nor a certificate name; GET /api/v1/certificates lists the names.");
        }

        if (redirectHttps && tls == "off")
        {
            throw DomainError.Invalid("Redirect without HTTPS", "redirectHttps sends clients to HTTPS, which tls: off turns away; give one of them.");
        }

        if ((redirectHttps || tls is not null && tls != "off") && options.Value.HttpsEndpoint is null)
        {
            throw DomainError.Conflict("HTTPS is off", "berthd was started with --proxy-https off; start it with --proxy-https ADDRESS:PORT for HTTPS routes.");
        }

        if (tls == "auto")
        {
            acme.RequireConfigured(AcmeChallenges.Http);
        }

        return tls;
    }

    /// <summary>A named certificate (tls other than auto and off) must exist and cover the domain.</summary>
    private async Task RequireCertificateAsync(string? tls, string domain, CancellationToken cancellationToken)
    {
        if (tls is not null and not "auto" and not "off")
        {
            var named = (await certificates.ListAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(c => c.Name == tls)
                ?? throw DomainError.NotFound("Certificate not found", $"there is no certificate named '{tls}'; GET /api/v1/certificates lists them.");
            if (!named.Covers(domain))
            {
                throw DomainError.Invalid("Certificate does not cover the domain", $"'{tls}' is for {string.Join(", ", named.Domains)}, not {Show(domain)}.");
            }
        }
    }

    public static DomainError NotFound(string domain, string? path) =>
        DomainError.NotFound("Route not found", $"there is no route for {domain}{path}; GET /api/v1/routes lists them.");

    /// <summary>What a member may route: a name the admin's --member-domains allows, with HTTPS from ACME or a certificate that covers it, never one named.</summary>
    private void RequireMemberDomain(string domain, string? tls)
    {
        var allowed = options.Value.MemberDomainPatterns;
        if (!allowed.Any(p => DomainBan.Matches(p, domain)))
        {
            throw DomainError.Forbidden("Domain not allowed", allowed.Count == 0
                ? "members may not route domains on this host; an admin can allow some with berthd's --member-domains (e.g. *.members.example.org)."
                : $"{Show(domain)} is not among the domains members may route here ({string.Join(", ", allowed)}); choose a name there.");
        }

        if (tls is not null and not "auto" and not "off")
        {
            throw DomainError.Forbidden("Certificates are for admins", $"a member's route takes tls auto (ACME), off, or none (any certificate an admin added that covers {Show(domain)}), not the certificate '{tls}'.");
        }
    }

    private static string Show(string domain) => DomainName.ToUnicode(domain) is var unicode && unicode != domain ? $"{unicode} ({domain})" : domain;

    private const string ChallengePath = "/.well-known/acme-challenge/";

    private RouteInfo Describe(ProxyRoute r, IReadOnlyList<ProxyRoute> all, IReadOnlyList<ProxyCertificate> issued) => new()
    {
        Domain = r.Domain,
        DomainUnicode = DomainName.ToUnicode(r.Domain),
        Path = r.Path,
        Container = r.Container,
        Panel = r.Panel,
        Port = r.Port,
        MaxBody = r.MaxBody,
        Timeout = r.Timeout,
        Websocket = r.Websocket,
        Tls = r.Tls,
        RedirectHttps = r.RedirectHttps,
        Certificate = options.Value.HttpsEndpoint is null ? null : NginxConfigRenderer.ServedCertificate(r.Domain, [.. all.Where(o => o.Domain == r.Domain)], issued)?.Name,
        TargetAddress = r.TargetAddress,
        Owner = r.Owner,
        AccessLog = paths.AccessLog(r.Domain, r.Path),
        CreatedAt = r.CreatedAt,
    };

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex CertificateName();

    // Only the characters of nginx's size and time syntax; nginx itself says whether the value makes sense.
    [GeneratedRegex("^[0-9]{1,10}[a-zA-Z]{0,2}$", RegexOptions.CultureInvariant)]
    private static partial Regex Size();

    [GeneratedRegex("^([0-9]{1,6}[a-z]{0,2}){1,4}$", RegexOptions.CultureInvariant)]
    private static partial Regex Duration();
}
