namespace Berth.Daemon.Proxy;

/// <summary>The proxy's job kinds, as they appear in the API and in 'berth jobs'.</summary>
public static class ProxyJobKinds
{
    public const string RouteAdd = "route.add";
    public const string RouteRemove = "route.remove";
    public const string CertificateAdd = "cert.add";
    public const string CertificateRemove = "cert.remove";
    /// <summary>An ACME order: the first issuance of a certificate or its renewal.</summary>
    public const string CertificateIssue = "cert.issue";

    /// <summary>The target of a certificate's ACME jobs: one order per certificate at a time, beside the proxy's own jobs.</summary>
    public static string AcmeTarget(string name) => "cert:" + name;

    /// <summary>Every proxy job has this target, so changes to nginx's configuration run one at a time.</summary>
    public const string Target = "proxy";
}
