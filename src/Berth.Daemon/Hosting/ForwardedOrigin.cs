namespace Berth.Daemon.Hosting;

/// <summary>The public origin a request reached berthd's own nginx on (scheme, domain, port), set on requests that came through it.</summary>
public sealed record ForwardedOrigin(string Scheme, string Host, int Port)
{
    public override string ToString() =>
        Port == (Scheme == "https" ? 443 : 80) ? $"{Scheme}://{Host}" : $"{Scheme}://{Host}:{Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}
