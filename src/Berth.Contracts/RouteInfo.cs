namespace Berth.Contracts;

/// <summary>A route of the proxy: a domain and path prefix to a container's port.</summary>
public sealed record RouteInfo
{
    /// <summary>The domain as stored and matched: ASCII, punycode for international names.</summary>
    public required string Domain { get; init; }
    /// <summary>The same domain in Unicode (equal to <see cref="Domain"/> for ASCII names).</summary>
    public required string DomainUnicode { get; init; }
    public required string Path { get; init; }
    /// <summary>The container the requests go to; "(panel)" for the panel's route.</summary>
    public required string Container { get; init; }
    /// <summary>Whether this is the panel's route: berthd's own web panel and API, for the whole domain.</summary>
    public bool Panel { get; init; }
    public required int Port { get; init; }
    public required string MaxBody { get; init; }
    public required string Timeout { get; init; }
    public bool Websocket { get; init; }
    /// <summary>"auto", "off", a certificate's name, or null for any certificate that covers the domain.</summary>
    public string? Tls { get; init; }
    public bool RedirectHttps { get; init; }
    /// <summary>The certificate served for the domain over HTTPS now; null while it is served over HTTP only.</summary>
    public string? Certificate { get; init; }
    /// <summary>The container's address nginx sends the requests to; null while it has none.</summary>
    public string? TargetAddress { get; init; }
    /// <summary>Who owns the route: its container's owner; null for root.</summary>
    public string? Owner { get; init; }
    /// <summary>The file nginx writes this route's access log to.</summary>
    public required string AccessLog { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}
