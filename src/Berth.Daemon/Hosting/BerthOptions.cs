namespace Berth.Daemon.Hosting;

/// <summary>How the daemon is set up; bound from the command line (--state-dir, --http, ...) and BERTH_* variables.</summary>
public sealed class BerthOptions
{
    /// <summary>Where Berth keeps its database, socket, containers and images. Default /var/lib/berth.</summary>
    public string StateDir { get; set; } = "/var/lib/berth";

    /// <summary>Optional loopback HTTP address, e.g. 127.0.0.1:8443. The Unix socket is always served.</summary>
    public string? Http { get; set; }

    /// <summary>Optional HTTPS address, e.g. 0.0.0.0:8443: the only way to serve beyond loopback.</summary>
    public string? Https { get; set; }

    /// <summary>PEM certificate for <see cref="Https"/>; without it (and <see cref="TlsKey"/>) a self-signed one is made under STATE_DIR/tls.</summary>
    public string? TlsCert { get; set; }

    /// <summary>PEM private key of <see cref="TlsCert"/>.</summary>
    public string? TlsKey { get; set; }

    /// <summary>How long a network listener that could not start (port taken, bad certificate) waits before it tries again. Default 5 s.</summary>
    public TimeSpan ListenRetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Where built images are cached. Default STATE_DIR/images; several state directories may share one.</summary>
    public string? ImagesDir { get; set; }

    /// <summary>How often the store is compared with what LXC reports. Default 10 s.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Debian mirror for debootstrap. Default: the first deb.debian.org-style URI of the host's apt sources.</summary>
    public string? DebianMirror { get; set; }

    /// <summary>Seconds a graceful stop waits before killing. Default 30.</summary>
    public int StopTimeoutSeconds { get; set; } = 30;

    /// <summary>The nftables tables (inet, and bridge when a network is isolated) Berth owns. Default "berth".</summary>
    public string NftTable { get; set; } = "berth";

    /// <summary>Host ports handed out by 'berth ssh enable', as FIRST-LAST. Default 40000-50000.</summary>
    public string SshPorts { get; set; } = "40000-50000";

    /// <summary>The host ports members may forward from, as FIRST-LAST (admins forward any). Default 30000-39999.</summary>
    public string MemberPorts { get; set; } = "30000-39999";

    /// <summary>An IPv4 range members' own networks come from (a /24 each unless they ask for a subnet inside it); none: members choose any free subnet.</summary>
    public string? MemberSubnets { get; set; }

    /// <summary>Subnet of the default network (<see cref="DefaultNetworkName"/>) that containers launched without --network join, or "none". Default none.</summary>
    public string? DefaultNetwork { get; set; }

    /// <summary>The default network's name, which is also its bridge's. Default berth0.</summary>
    public string DefaultNetworkName { get; set; } = "berth0";

    /// <summary>How long finished jobs are kept before they are pruned (--Berth:JobRetention 7.00:00:00). Default 30 days.</summary>
    public TimeSpan JobRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The network containers join when launched without --network, or null when the daemon has none.</summary>
    public string? DefaultNetworkIfAny => DefaultNetwork is { Length: > 0 } subnet && subnet != "none" ? DefaultNetworkName : null;
}
