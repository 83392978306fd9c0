namespace Berth.Daemon.Proxy;

/// <summary>Arguments of certificate jobs: which certificate (the row and files hold the rest).</summary>
public sealed record CertificateArgs(string Name);
