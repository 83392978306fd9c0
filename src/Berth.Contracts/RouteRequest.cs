namespace Berth.Contracts;

/// <summary>Body of <c>POST /api/v1/routes</c>.</summary>
public sealed record RouteRequest
{
    /// <summary>The container the requests go to; it must be on a managed network.</summary>
    public required string Container { get; init; }
    /// <summary>The domain, in Unicode or punycode (bücher.example or xn--bcher-kva.example).</summary>
    public required string Domain { get; init; }
    /// <summary>A path prefix such as /jenkins/; null or "/" for the whole domain.</summary>
    public string? Path { get; init; }
    /// <summary>The container's port. Default 80.</summary>
    public int? Port { get; init; }
    /// <summary>The largest request body passed on, in nginx's size syntax (10m, 1g; 0 for no limit). Default 100m.</summary>
    public string? MaxBody { get; init; }
    /// <summary>How long to wait for the container's answer, in nginx's time syntax (90s, 5m). Default 60s.</summary>
    public string? Timeout { get; init; }
    /// <summary>Pass websocket upgrades through.</summary>
    public bool Websocket { get; init; }
    /// <summary>HTTPS for the domain: "auto" (a certificate from ACME), "off" (HTTP only) or a certificate's name; null: any certificate that covers it.</summary>
    public string? Tls { get; init; }
    /// <summary>Answer HTTP with a 308 redirect to HTTPS once the domain has a certificate (the ACME challenge path excepted).</summary>
    public bool RedirectHttps { get; init; }
}
