using System.Text.RegularExpressions;
using Berth.Contracts;
using Berth.Daemon.Api;
using Berth.Daemon.Jobs;
using Berth.Daemon.Store;

namespace Berth.Daemon.Proxy;

/// <summary>Routes: validated here (refused with the reason, nothing changed), checked by nginx, stored, then applied by a job.</summary>
public sealed partial class RouteService(RouteStore routes, ContainerStore containers, ReverseProxy proxy, DomainBanService bans, ProxyPaths paths, JobQueue jobs, TimeProvider time)
{
    // The uniqueness check, nginx's check and the insert happen under one lock, so two adds cannot take one path.
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<IReadOnlyList<RouteInfo>> ListAsync(string? container, CancellationToken cancellationToken)
    {
        if (container is not null)
        {
            _ = await containers.GetAsync(container, cancellationToken).ConfigureAwait(false) ?? throw BerthProblem.ContainerNotFound(container);
        }

        return [.. (await routes.ListAsync(container, cancellationToken).ConfigureAwait(false)).Select(Describe)];
    }

    public async Task<JobRecord> AddAsync(RouteRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!proxy.Enabled)
        {
            throw ReverseProxy.ProxyOff();
        }

        if (!DomainName.TryNormalise(request.Domain, out var domain, out var domainError))
        {
            throw BerthProblem.BadRequest("Invalid domain", domainError + ".");
        }

        if (!RoutePath.TryNormalise(request.Path, out var path, out var pathError))
        {
            throw BerthProblem.BadRequest("Invalid path", pathError + ".");
        }

        var port = request.Port ?? 80;
        if (port is < 1 or > 65535)
        {
            throw BerthProblem.BadRequest("Invalid port", $"port {port} is not a TCP port; give the container's port, 1-65535.");
        }

        var maxBody = request.MaxBody ?? "100m";
        if (!Size().IsMatch(maxBody))
        {
            throw BerthProblem.BadRequest("Invalid maximum body size", $"'{maxBody}' is not a size such as 10m, 512k or 1g (0 for no limit).");
        }

        var timeout = request.Timeout ?? "60s";
        if (!Duration().IsMatch(timeout))
        {
            throw BerthProblem.BadRequest("Invalid timeout", $"'{timeout}' is not a duration such as 90s, 5m or 1h.");
        }

        var container = await containers.GetAsync(request.Container, cancellationToken).ConfigureAwait(false) ?? throw BerthProblem.ContainerNotFound(request.Container);
        if (container.Nic is null)
        {
            throw BerthProblem.Conflict("Container has no network", $"'{container.Name}' is not on a managed network, so the proxy cannot reach it; launch it with --network.");
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
            CreatedAt = time.GetUtcNow(),
            TargetAddress = container.Nic.Address,
        };

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await bans.RequireAllowedAsync(domain, cancellationToken).ConfigureAwait(false);
            var existing = await routes.ListAsync(null, cancellationToken).ConfigureAwait(false);
            if (existing.FirstOrDefault(r => r.Domain == domain && r.Path == path) is { } same)
            {
                throw BerthProblem.Conflict("Route exists", $"{Show(domain)}{path} already goes to '{same.Container}'; remove it first with 'berth route remove {domain}{path}'.");
            }

            await proxy.CheckAsync(route, cancellationToken).ConfigureAwait(false);
            if (!await routes.TryInsertAsync(route, cancellationToken).ConfigureAwait(false))
            {
                throw BerthProblem.Conflict("Route exists", $"{Show(domain)}{path} is already routed.");
            }

            try
            {
                return await jobs.SubmitAsync(ProxyJobKinds.RouteAdd, ProxyJobKinds.Target, new RouteArgs(domain, path, container.Name), cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await routes.DeleteAsync(domain, path, CancellationToken.None).ConfigureAwait(false);
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<JobRecord> RemoveAsync(string domainText, string? pathText, CancellationToken cancellationToken)
    {
        if (!DomainName.TryNormalise(domainText, out var domain, out var domainError))
        {
            throw BerthProblem.BadRequest("Invalid domain", domainError + ".");
        }

        if (!RoutePath.TryNormalise(pathText, out var path, out var pathError))
        {
            throw BerthProblem.BadRequest("Invalid path", pathError + ".");
        }

        var route = (await routes.ListAsync(null, cancellationToken).ConfigureAwait(false)).FirstOrDefault(r => r.Domain == domain && r.Path == path)
            ?? throw BerthProblem.NotFound("Route not found", $"there is no route for {Show(domain)}{path}; 'berth route list' shows them.");
        return await jobs.SubmitAsync(ProxyJobKinds.RouteRemove, ProxyJobKinds.Target, new RouteArgs(route.Domain, route.Path, route.Container), cancellationToken).ConfigureAwait(false);
    }

    private static string Show(string domain) => DomainName.ToUnicode(domain) is var unicode && unicode != domain ? $"{unicode} ({domain})" : domain;

    private RouteInfo Describe(ProxyRoute r) => new()
    {
        Domain = r.Domain,
        DomainUnicode = DomainName.ToUnicode(r.Domain),
        Path = r.Path,
        Container = r.Container,
        Port = r.Port,
        MaxBody = r.MaxBody,
        Timeout = r.Timeout,
        Websocket = r.Websocket,
        TargetAddress = r.TargetAddress,
        AccessLog = paths.AccessLog(r.Domain, r.Path),
        CreatedAt = r.CreatedAt,
    };

    // Only the characters of nginx's size and time syntax; nginx itself says whether the value makes sense.
    [GeneratedRegex("^[0-9]{1,10}[a-zA-Z]{0,2}$", RegexOptions.CultureInvariant)]
    private static partial Regex Size();

    [GeneratedRegex("^([0-9]{1,6}[a-z]{0,2}){1,4}$", RegexOptions.CultureInvariant)]
    private static partial Regex Duration();
}
