namespace Berth.Daemon.Proxy;

/// <summary>Where a certificate came from, as stored and shown.</summary>
public static class CertificateOrigins
{
    public const string File = "file";
    public const string Acme = "acme";
}
