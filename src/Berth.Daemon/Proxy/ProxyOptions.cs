namespace Berth.Daemon.Proxy;

/// <summary>Settings of the proxy, bound from Berth:Proxy (--proxy-http, --proxy-https).</summary>
public sealed class ProxyOptions
{
    /// <summary>Where nginx takes plain HTTP, as ADDRESS:PORT, or "off" for no proxy at all. Default [::]:80 (both families) on a host with IPv6, else 0.0.0.0:80.</summary>
    public string Http { get; set; } = DefaultListen(80);

    /// <summary>Where nginx takes HTTPS, as ADDRESS:PORT, or "off". Default [::]:443 on a host with IPv6, else 0.0.0.0:443.</summary>
    public string Https { get; set; } = DefaultListen(443);

    /// <summary>[::]:PORT when the kernel has IPv6 addresses (nginx then takes IPv4 on the same socket), else 0.0.0.0:PORT.</summary>
    public static string DefaultListen(int port)
    {
        var text = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            return File.Exists("/proc/net/if_inet6") && File.ReadAllText("/proc/net/if_inet6").Length > 0 ? $"[::]:{text}" : $"0.0.0.0:{text}";
        }
        catch (IOException)
        {
            return $"0.0.0.0:{text}";
        }
    }

    /// <summary>The nginx binary. Default nginx (from PATH).</summary>
    public string Nginx { get; set; } = "nginx";

    /// <summary>The ACME server's directory URL (--acme-directory). Default Let's Encrypt's production server.</summary>
    public string AcmeDirectory { get; set; } = "https://acme-v02.api.letsencrypt.org/directory";

    /// <summary>The ACME account's email address (--acme-email); ACME is refused until it is set.</summary>
    public string? AcmeEmail { get; set; }

    /// <summary>A PEM file of CA certificates to trust for the ACME server (--acme-ca-certificates), as a test server needs. Default: the system's.</summary>
    public string? AcmeCaCertificates { get; set; }

    /// <summary>The program DNS-01 runs (--acme-dns-hook), as "HOOK present|cleanup FQDN VALUE"; DNS-01 is refused without it.</summary>
    public string? AcmeDnsHook { get; set; }

    /// <summary>HOST:PORT of the resolver that checks a DNS-01 record is visible (--acme-dns-resolver). Default: the system's.</summary>
    public string? AcmeDnsResolver { get; set; }

    /// <summary>The lego binary. Default lego (from PATH).</summary>
    public string Lego { get; set; } = "lego";

    /// <summary>How often ACME certificates are checked for renewal (and pending ones retried). Default 1 hour.</summary>
    public TimeSpan AcmeCheckInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The wait after a first failed attempt, doubled per failure up to <see cref="AcmeRetryMax"/>. Default 5 minutes.</summary>
    public TimeSpan AcmeRetryBase { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The longest wait between attempts. Default 6 hours.</summary>
    public TimeSpan AcmeRetryMax { get; set; } = TimeSpan.FromHours(6);

    /// <summary>The domains members may route (--member-domains), comma-separated ban-style patterns: *.suffix or an exact name. Default none.</summary>
    public string? MemberDomains { get; set; }

    /// <summary>The patterns of <see cref="MemberDomains"/> in their stored form (punycode).</summary>
    public IReadOnlyList<string> MemberDomainPatterns => [.. (MemberDomains ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
        .Select(p => DomainBan.TryNormalise(p, out var pattern, out var error) ? pattern : throw new ArgumentException($"--member-domains {p}: {error}; give *.members.example.org or an exact name"))];

    /// <summary>The HTTP listener, or null when the proxy is off.</summary>
    public System.Net.IPEndPoint? HttpEndpoint => Parse(Http, "--proxy-http");

    /// <summary>The HTTPS listener, or null when it is off.</summary>
    public System.Net.IPEndPoint? HttpsEndpoint => Parse(Https, "--proxy-https");

    /// <summary>The proxy's port in a tcp range and the switch that gives it, or null: a forward there would take it from nginx.</summary>
    public (int Port, string Switch)? Claimed(string protocol, int first, int last)
    {
        if (protocol != "tcp")
        {
            return null;
        }

        foreach (var (endpoint, name) in new[] { (HttpEndpoint, "--proxy-http"), (HttpsEndpoint, "--proxy-https") })
        {
            if (endpoint is { Port: var port } && port >= first && port <= last)
            {
                return (port, name);
            }
        }

        return null;
    }

    /// <summary>Throws with the switch's name when either listener is neither ADDRESS:PORT nor off.</summary>
    public void Validate()
    {
        _ = HttpEndpoint;
        _ = HttpsEndpoint;
        _ = MemberDomainPatterns;
        if (HttpEndpoint is { } http && HttpsEndpoint is { } https && http.Equals(https))
        {
            throw new ArgumentException($"--proxy-http and --proxy-https are both {Http}; give them different ports");
        }

        if (!Uri.TryCreate(AcmeDirectory, UriKind.Absolute, out var directory) || directory.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"--acme-directory {AcmeDirectory}: expected an https:// URL such as https://acme-v02.api.letsencrypt.org/directory");
        }

        if (AcmeEmail is { Length: > 0 } email && (email.Length > 254 || email.Count(c => c == '@') != 1 || email.StartsWith('@') || email.EndsWith('@') || email.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))))
        {
            throw new ArgumentException($"--acme-email {email}: expected an email address such as admin@example.org");
        }

        foreach (var (file, name) in new[] { (AcmeCaCertificates, "--acme-ca-certificates"), (AcmeDnsHook, "--acme-dns-hook") })
        {
            if (file is { Length: > 0 } && !File.Exists(file))
            {
                throw new ArgumentException($"{name} {file}: no such file");
            }
        }

        if (AcmeDnsResolver is { Length: > 0 } resolver && !System.Net.IPEndPoint.TryParse(resolver, out _))
        {
            throw new ArgumentException($"--acme-dns-resolver {resolver}: expected ADDRESS:PORT such as 127.0.0.1:53");
        }
    }

    private static System.Net.IPEndPoint? Parse(string text, string name)
    {
        if (string.IsNullOrEmpty(text) || text == "off")
        {
            return null;
        }

        return System.Net.IPEndPoint.TryParse(text, out var endpoint) && endpoint.Port is > 0 and <= 65535 && text.Contains(':', StringComparison.Ordinal)
            ? endpoint
            : throw new ArgumentException($"{name} {text}: expected ADDRESS:PORT such as 0.0.0.0:80 or [::]:80, or off");
    }
}
