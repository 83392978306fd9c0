using System.Net;

namespace Berth.Daemon.Hosting;

/// <summary>berthd's switches and BERTH_* variables, mapped onto the Berth configuration section.</summary>
public static class DaemonCommandLine
{
    public static IDictionary<string, string> Switches { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["--state-dir"] = "Berth:StateDir",
        ["--http"] = "Berth:Http",
        ["--https"] = "Berth:Https",
        ["--tls-cert"] = "Berth:TlsCert",
        ["--tls-key"] = "Berth:TlsKey",
        ["--images-dir"] = "Berth:ImagesDir",
        ["--reconcile-interval"] = "Berth:ReconcileInterval",
        ["--debian-mirror"] = "Berth:DebianMirror",
        ["--stop-timeout"] = "Berth:StopTimeoutSeconds",
        ["--nft-table"] = "Berth:NftTable",
        ["--ssh-ports"] = "Berth:SshPorts",
        ["--member-ports"] = "Berth:MemberPorts",
        ["--member-subnets"] = "Berth:MemberSubnets",
        ["--default-network"] = "Berth:DefaultNetwork",
        ["--default-network-name"] = "Berth:DefaultNetworkName",
        ["--proxy-http"] = "Berth:Proxy:Http",
        ["--proxy-https"] = "Berth:Proxy:Https",
        ["--acme-directory"] = "Berth:Proxy:AcmeDirectory",
        ["--acme-email"] = "Berth:Proxy:AcmeEmail",
        ["--acme-ca-certificates"] = "Berth:Proxy:AcmeCaCertificates",
        ["--acme-dns-hook"] = "Berth:Proxy:AcmeDnsHook",
        ["--acme-dns-resolver"] = "Berth:Proxy:AcmeDnsResolver",
        ["--member-domains"] = "Berth:Proxy:MemberDomains",
        ["--audit-retention"] = "Berth:Audit:Retention",
        ["--console-grace"] = "Berth:Console:Grace",
        ["--metrics-interval"] = "Berth:Metrics:Interval",
        ["--backup-schedule"] = "Berth:Backups:Schedule",
        ["--backup-keep"] = "Berth:Backups:Keep",
        ["--check-schedule"] = "Berth:Backups:CheckSchedule",
        ["--check-read-parts"] = "Berth:Backups:CheckReadParts",
        ["--restore-test-schedule"] = "Berth:Backups:RestoreTestSchedule",
        ["--updates-auto"] = "Berth:Updates:Auto",
        ["--updates-every"] = "Berth:Updates:Every",
        ["--updates-window"] = "Berth:Updates:Window",
    };

    public static IEnumerable<KeyValuePair<string, string?>> FromEnvironment()
    {
        var map = new Dictionary<string, string>
        {
            ["BERTH_DIR"] = "Berth:StateDir",
            ["BERTH_HTTP"] = "Berth:Http",
            ["BERTH_HTTPS"] = "Berth:Https",
            ["BERTH_TLS_CERT"] = "Berth:TlsCert",
            ["BERTH_TLS_KEY"] = "Berth:TlsKey",
            ["BERTH_IMAGES_DIR"] = "Berth:ImagesDir",
            ["BERTH_DEBIAN_MIRROR"] = "Berth:DebianMirror",
        };
        foreach (var (variable, key) in map)
        {
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value)
            {
                yield return new(key, value);
            }
        }
    }

    /// <summary>Only loopback addresses: plain HTTP would carry tokens and session cookies readable on the network.</summary>
    public static IPEndPoint ParseLoopback(string text)
    {
        var endpoint = ParseEndpoint("--http", text);
        if (!IPAddress.IsLoopback(endpoint.Address))
        {
            throw new ArgumentException($"--http {text}: plain HTTP is served on loopback only (127.0.0.1 or ::1); to listen on the network use --https {text}");
        }

        return endpoint;
    }

    /// <summary>Any address, 0.0.0.0 and [::] included: TLS protects what crosses the network.</summary>
    public static IPEndPoint ParseHttps(string text) => ParseEndpoint("--https", text);

    /// <summary>--tls-cert and --tls-key come together, and only with --https.</summary>
    public static void ValidateTls(BerthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.TlsCert is { Length: > 0 } != options.TlsKey is { Length: > 0 })
        {
            throw new ArgumentException("--tls-cert and --tls-key go together: give the PEM certificate and its PEM private key, or neither for a self-signed certificate");
        }

        if (options.TlsCert is { Length: > 0 } && options.Https is not { Length: > 0 })
        {
            throw new ArgumentException("--tls-cert is for the HTTPS listener: add --https ADDRESS:PORT");
        }
    }

    private static IPEndPoint ParseEndpoint(string name, string text)
    {
        if (!IPEndPoint.TryParse(text, out var endpoint) || endpoint.Port == 0 && !text.EndsWith(":0", StringComparison.Ordinal))
        {
            throw new ArgumentException($"{name} {text}: expected ADDRESS:PORT such as 127.0.0.1:8443");
        }

        // Kestrel cannot bind these: an IPv4-mapped address would abort the daemon after validation.
        if (endpoint.Address.IsIPv4MappedToIPv6 || endpoint.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && endpoint.Address.ScopeId != 0)
        {
            throw new ArgumentException($"{name} {text}: write the address plainly, as 127.0.0.1:{endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)} or [::1]:{endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        }

        return endpoint;
    }

    /// <summary>The networking switches: a plain nft table name, a port range, a default subnet or "none".</summary>
    public static void ValidateNetworking(BerthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!System.Text.RegularExpressions.Regex.IsMatch(options.NftTable, "^[A-Za-z][A-Za-z0-9_-]{0,31}$"))
        {
            throw new ArgumentException($"--nft-table {options.NftTable}: expected a name of letters, digits, '_' and '-' (at most 32)");
        }

        _ = ParsePortRange(options.SshPorts);
        _ = ParsePortRange(options.MemberPorts, "--member-ports");
        if (options.MemberSubnets is { Length: > 0 } pool && (!Networking.IpSubnet.TryParse(pool, out var parsed, out var poolError) || !parsed!.IsIpv4 || parsed.PrefixLength > 24))
        {
            throw new ArgumentException($"--member-subnets {pool}: {(parsed is null ? poolError : "expected an IPv4 range of /24 or larger, such as 10.200.0.0/16")}");
        }
        if (options.DefaultNetwork is { Length: > 0 } subnet && subnet != "none" && !Networking.IpSubnet.TryParse(subnet, out _, out var error))
        {
            throw new ArgumentException($"--default-network: {error}, or none");
        }

        if (!Networking.NetworkName.IsValid(options.DefaultNetworkName))
        {
            throw new ArgumentException($"--default-network-name {options.DefaultNetworkName}: 1-15 characters, a-z, 0-9 and '-', starting with a letter");
        }
    }

    /// <summary>"40000-50000" as (40000, 50000).</summary>
    public static (int First, int Last) ParsePortRange(string text, string option = "--ssh-ports")
    {
        var parts = (text ?? "").Split('-');
        if (parts.Length == 2
            && int.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var first)
            && int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var last)
            && first is >= 1 and <= 65535 && last >= first && last <= 65535)
        {
            return (first, last);
        }

        throw new ArgumentException($"{option} {text}: expected FIRST-LAST such as 40000-50000");
    }

    /// <summary>One daemon per state directory: a second one would run every job twice.</summary>
    public static FileStream LockStateDir(StatePaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        try
        {
            return new FileStream(Path.Combine(paths.Root, "berthd.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            Console.Error.WriteLine($"berthd: another berthd is already running for {paths.Root}");
            Environment.Exit(1);
            throw;
        }
    }
}
