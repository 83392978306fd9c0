using Berth.Daemon.Store;
using Dapper;

namespace Berth.Daemon.Proxy;

/// <summary>
/// Reads and writes proxy routes; (domain, path) is unique, and the service keeps each domain to one container.
/// The panel's routes (panel_routes: berthd's own panel, for a whole domain) are listed with them, so every check
/// that looks at the routed domains sees those too.
/// </summary>
public sealed class RouteStore(Database database, PanelUpstream panel)
{
    private const string Columns =
        "r.domain, r.path, r.container, r.port, r.max_body AS MaxBody, r.timeout, r.websocket, r.tls, r.redirect_https AS RedirectHttps, r.created_at AS CreatedAt, l.address AS TargetAddress, c.owner AS Owner";

    public async Task<IReadOnlyList<ProxyRoute>> ListAsync(string? container = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM proxy_routes r JOIN containers c ON c.name = r.container LEFT JOIN leases l ON l.container = r.container AND l.nic = 0 WHERE @container IS NULL OR r.container = @container ORDER BY r.domain, r.path",
            new { container },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        var routes = rows.Select(r => r.ToRoute()).ToList();
        if (container is null)
        {
            var panels = await connection.QueryAsync<PanelRow>(new CommandDefinition(
                "SELECT domain, tls, redirect_https AS RedirectHttps, created_at AS CreatedAt FROM panel_routes",
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            routes.AddRange(panels.Select(p => p.ToRoute(panel)));
            routes.Sort((a, b) => a.Domain != b.Domain ? string.CompareOrdinal(a.Domain, b.Domain) : string.CompareOrdinal(a.Path, b.Path));
        }

        return routes;
    }

    /// <summary>Inserts the panel's route for a domain unless that domain already has one.</summary>
    public async Task<bool> TryInsertPanelAsync(ProxyRoute route, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(route);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO panel_routes (domain, tls, redirect_https, created_at) VALUES (@Domain, @Tls, @RedirectHttps, @CreatedAt) ON CONFLICT DO NOTHING",
            new { route.Domain, route.Tls, RedirectHttps = route.RedirectHttps ? 1 : 0, CreatedAt = route.CreatedAt.ToString("O") },
            cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;
    }

    /// <summary>The routes whose container has an address, with it filled in: what nginx is configured with.</summary>
    public async Task<IReadOnlyList<ProxyRoute>> ListResolvedAsync(CancellationToken cancellationToken = default) =>
        [.. (await ListAsync(null, cancellationToken).ConfigureAwait(false)).Where(r => r.TargetAddress is not null)];

    /// <summary>Inserts the route if (domain, path) is free and it fits its owner's quota (checked in the same transaction; a 403 problem otherwise).</summary>
    public async Task<bool> TryInsertAsync(ProxyRoute route, Users.QuotaDemand? quota = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(route);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (quota is not null)
        {
            await Users.QuotaLedger.RequireRoomAsync(connection, transaction, quota, cancellationToken).ConfigureAwait(false);
        }

        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO proxy_routes (domain, path, container, port, max_body, timeout, websocket, tls, redirect_https, created_at)
            VALUES (@Domain, @Path, @Container, @Port, @MaxBody, @Timeout, @Websocket, @Tls, @RedirectHttps, @CreatedAt)
            ON CONFLICT DO NOTHING
            """,
            new
            {
                route.Domain,
                route.Path,
                route.Container,
                route.Port,
                route.MaxBody,
                route.Timeout,
                Websocket = route.Websocket ? 1 : 0,
                route.Tls,
                RedirectHttps = route.RedirectHttps ? 1 : 0,
                CreatedAt = route.CreatedAt.ToString("O"),
            },
            transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return inserted == 1;
    }

    /// <summary>Deletes the route of a domain and path, a container's or the panel's (a domain is never both).</summary>
    public async Task<bool> DeleteAsync(string domain, string path, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var deleted = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM proxy_routes WHERE domain = @domain AND path = @path",
            new { domain, path },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (path == "/")
        {
            deleted += await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM panel_routes WHERE domain = @domain",
                new { domain },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        return deleted > 0;
    }

    private sealed record PanelRow
    {
        public string Domain { get; init; } = "";
        public string? Tls { get; init; }
        public long RedirectHttps { get; init; }
        public string CreatedAt { get; init; } = "";

        // Without berthd's HTTP listener there is nothing to send it to: no target, so nginx is not configured with it.
        public ProxyRoute ToRoute(PanelUpstream upstream) => new()
        {
            Domain = Domain,
            Path = "/",
            Container = PanelUpstream.Marker,
            Port = upstream.Endpoint?.Port ?? 0,
            MaxBody = "0",
            Timeout = "1h",
            Websocket = true,
            Tls = Tls,
            RedirectHttps = RedirectHttps != 0,
            CreatedAt = DateTimeOffset.Parse(CreatedAt, System.Globalization.CultureInfo.InvariantCulture),
            Panel = true,
            TargetAddress = upstream.Address,
        };
    }

    private sealed record Row
    {
        public string Domain { get; init; } = "";
        public string Path { get; init; } = "";
        public string Container { get; init; } = "";
        public long Port { get; init; }
        public string MaxBody { get; init; } = "";
        public string Timeout { get; init; } = "";
        public long Websocket { get; init; }
        public string? Tls { get; init; }
        public long RedirectHttps { get; init; }
        public string CreatedAt { get; init; } = "";
        public string? TargetAddress { get; init; }
        public string? Owner { get; init; }

        public ProxyRoute ToRoute() => new()
        {
            Domain = Domain,
            Path = Path,
            Container = Container,
            Port = (int)Port,
            MaxBody = MaxBody,
            Timeout = Timeout,
            Websocket = Websocket != 0,
            Tls = Tls,
            RedirectHttps = RedirectHttps != 0,
            CreatedAt = DateTimeOffset.Parse(CreatedAt, System.Globalization.CultureInfo.InvariantCulture),
            TargetAddress = TargetAddress,
            Owner = Owner,
        };
    }
}
