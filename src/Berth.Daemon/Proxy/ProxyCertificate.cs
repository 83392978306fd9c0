namespace Berth.Daemon.Proxy;

/// <summary>A certificate (with its chain) and key the proxy serves for the domains it names; files under STATE_DIR/proxy/certs.</summary>
public sealed record ProxyCertificate
{
    public required string Name { get; init; }
    /// <summary>The DNS names it is valid for (subject alternative names, else the common name); may hold "*.example.org".</summary>
    public required IReadOnlyList<string> Domains { get; init; }
    public required DateTimeOffset NotBefore { get; init; }
    public required DateTimeOffset NotAfter { get; init; }
    /// <summary>SHA-256 of the certificate, hex.</summary>
    public required string Fingerprint { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>"file" (added by a user) or "acme" (issued and renewed by berthd).</summary>
    public string Origin { get; init; } = CertificateOrigins.File;

    /// <summary>Two thirds into its lifetime, whatever the lifetime is: when an ACME certificate is renewed.</summary>
    public DateTimeOffset RenewAt => NotBefore + ((NotAfter - NotBefore) * 2 / 3);

    /// <summary>Whether it covers <paramref name="domain"/>: an exact name, or "*.suffix" for one more label, as TLS clients match.</summary>
    public bool Covers(string domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        foreach (var name in Domains)
        {
            if (string.Equals(name, domain, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (name.StartsWith("*.", StringComparison.Ordinal) && domain.IndexOf('.', StringComparison.Ordinal) is var dot and > 0
                && string.Equals(domain[(dot + 1)..], name[2..], StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
