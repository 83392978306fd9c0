namespace Berth.Daemon.Proxy;

/// <summary>A certificate berthd keeps from its ACME server: what to ask for, and how the last attempts went.</summary>
public sealed record AcmeRequest
{
    /// <summary>The certificate's name; the issued one becomes the Berth certificate of that name (origin acme).</summary>
    public required string Name { get; init; }
    /// <summary>The DNS names in punycode; the first one names lego's files.</summary>
    public required IReadOnlyList<string> Domains { get; init; }
    /// <summary>"http" (HTTP-01 through Berth's nginx) or "dns" (DNS-01 through --acme-dns-hook).</summary>
    public required string Challenge { get; init; }
    /// <summary>Made by a route's --tls auto: kept and retried when an issuance fails (the route serves HTTP meanwhile).</summary>
    public bool ForRoute { get; init; }
    /// <summary>Failed attempts in a row; reset by a success.</summary>
    public int Failures { get; init; }
    /// <summary>Not before then (backoff after a failure); null: at once when due.</summary>
    public DateTimeOffset? NextAttempt { get; init; }
    public string? LastError { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The name a route's --tls auto certificate gets.</summary>
    public static string NameFor(string domain) => "acme-" + domain;
}
