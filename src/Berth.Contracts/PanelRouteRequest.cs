namespace Berth.Contracts;

/// <summary>Body of <c>POST /api/v1/routes/panel</c>: publish berthd's own web panel and API under a domain (admins only).</summary>
public sealed record PanelRouteRequest
{
    /// <summary>The domain, in Unicode or punycode; the panel takes all of it, so no container route may use it.</summary>
    public required string Domain { get; init; }
    /// <summary>HTTPS for the domain: "auto" (a certificate from ACME), "off" (HTTP only) or a certificate's name; null: any certificate that covers it.</summary>
    public string? Tls { get; init; }
    /// <summary>Answer HTTP with a 308 redirect to HTTPS once the domain has a certificate (the ACME challenge path excepted).</summary>
    public bool RedirectHttps { get; init; }
}
