namespace Berth.Daemon.Proxy;

/// <summary>Requests for a domain (and path prefix) proxied to one container's port; the domain is stored in punycode.</summary>
public sealed record ProxyRoute
{
    /// <summary>The ASCII (punycode) form, lower case, as nginx matches it.</summary>
    public required string Domain { get; init; }
    /// <summary>A path prefix that starts and ends with '/'; "/" for the whole domain.</summary>
    public required string Path { get; init; }
    public required string Container { get; init; }
    public required int Port { get; init; }
    /// <summary>The largest request body nginx passes on, in nginx's size syntax (10m, 1g).</summary>
    public required string MaxBody { get; init; }
    /// <summary>How long nginx waits for the container, in nginx's time syntax (90s, 5m).</summary>
    public required string Timeout { get; init; }
    /// <summary>Whether connection upgrades (websockets) are passed through.</summary>
    public bool Websocket { get; init; }
    /// <summary>"auto", "off", a certificate's name, or null: any certificate that covers the domain.</summary>
    public string? Tls { get; init; }
    /// <summary>Whether plain HTTP is answered with a 308 to HTTPS while the domain has a certificate.</summary>
    public bool RedirectHttps { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>Who owns the route: its container's owner (null: root), read from the container, so a transfer carries it.</summary>
    public string? Owner { get; init; }
    /// <summary>Whether this is the panel's route: berthd's own panel and API, for the whole domain (Container is <see cref="PanelUpstream.Marker"/>).</summary>
    public bool Panel { get; init; }
    /// <summary>The container's leased address, filled in when the configuration is rendered.</summary>
    public string? TargetAddress { get; init; }
}
