namespace Berth.Contracts;

/// <summary>A certificate of the proxy; the key is never shown.</summary>
public sealed record CertificateInfo
{
    public required string Name { get; init; }
    /// <summary>The DNS names it covers; "*.example.org" covers every route one label below.</summary>
    public required IReadOnlyList<string> Domains { get; init; }
    public required DateTimeOffset NotBefore { get; init; }
    public required DateTimeOffset NotAfter { get; init; }
    /// <summary>Whole days until it expires (negative once it has).</summary>
    public required int DaysLeft { get; init; }
    /// <summary>SHA-256 of the certificate, hex.</summary>
    public required string Fingerprint { get; init; }
    /// <summary>"file" (berth cert add) or "acme" (issued and renewed by berthd).</summary>
    public string Origin { get; init; } = "file";
    /// <summary>When berthd renews it (two thirds of its lifetime); null for certificates from files.</summary>
    public DateTimeOffset? RenewAt { get; init; }
    /// <summary>Why the last issuance or renewal failed, while it is failing; null otherwise.</summary>
    public string? LastError { get; init; }
    /// <summary>Set when less than a third of its lifetime is left (renewal is late or failing), or it has expired.</summary>
    public string? Warning { get; init; }
    /// <summary>The routed domains it is served for now.</summary>
    public required IReadOnlyList<string> ServedFor { get; init; }
}
