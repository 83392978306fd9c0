namespace Berth.Daemon.Proxy;

/// <summary>The ACME challenge types Berth answers.</summary>
public static class AcmeChallenges
{
    /// <summary>HTTP-01: lego's token under the webroot nginx serves at /.well-known/acme-challenge/ for every domain.</summary>
    public const string Http = "http";

    /// <summary>DNS-01: a TXT record set through the --acme-dns-hook program; the only way to a wildcard.</summary>
    public const string Dns = "dns";
}
