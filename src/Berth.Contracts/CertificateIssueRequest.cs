namespace Berth.Contracts;

/// <summary>Body of <c>POST /api/v1/certificates/acme</c>: a certificate berthd obtains from its ACME server and renews.</summary>
public sealed record CertificateIssueRequest
{
    /// <summary>1-63 characters: a-z, 0-9, '.', '_' and '-', starting with a letter or digit.</summary>
    public required string Name { get; init; }
    /// <summary>The DNS names, e.g. example.org or *.example.org (a wildcard needs the dns challenge).</summary>
    public required IReadOnlyList<string> Domains { get; init; }
    /// <summary>"http" (HTTP-01 through the proxy) or "dns" (DNS-01 through berthd's --acme-dns-hook); default http, dns for a wildcard.</summary>
    public string? Challenge { get; init; }
}
