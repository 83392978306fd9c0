using System.Globalization;
using Berth.Daemon.Processes;

namespace Berth.Daemon.Networking;

/// <summary>The Linux bridges of managed networks, driven with iproute2; every step is idempotent so the reconciler can repeat it.</summary>
public static class Bridges
{
    public static bool Exists(string name) => Directory.Exists($"/sys/class/net/{name}");

    /// <summary>Creates the bridge if missing, gives it the gateway address(es) and brings it up.</summary>
    public static async Task EnsureAsync(NetworkRecord network, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (!Exists(network.Bridge))
        {
            await CommandRunner.RunAsync("ip", ["link", "add", network.Bridge, "type", "bridge"], cancellationToken).ConfigureAwait(false);
        }

        var subnet = network.Ipv4;
        await CommandRunner.RunAsync("ip", ["-4", "addr", "replace", $"{subnet.Gateway}/{Prefix(subnet)}", "dev", network.Bridge], cancellationToken).ConfigureAwait(false);
        if (network.Ipv6 is { } subnet6)
        {
            await CommandRunner.RunAsync("ip", ["-6", "addr", "replace", $"{subnet6.Gateway}/{Prefix(subnet6)}", "dev", network.Bridge, "nodad"], cancellationToken).ConfigureAwait(false);
        }

        // Only on Berth's own bridge (it goes with the bridge): the host's loopback connections to forwards route out
        // of it; the nft guard chain keeps containers from sending to 127/8 through it.
        await File.WriteAllTextAsync($"/proc/sys/net/ipv4/conf/{network.Bridge}/route_localnet", "1", cancellationToken).ConfigureAwait(false);
        await CommandRunner.RunAsync("ip", ["link", "set", network.Bridge, "up"], cancellationToken).ConfigureAwait(false);
    }

    public static async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        if (Exists(name))
        {
            await CommandRunner.RunAsync("ip", ["link", "delete", name, "type", "bridge"], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Puts a running container's host veth back on its bridge (after the bridge was recreated, its ports are gone).</summary>
    public static async Task AttachAsync(string veth, string bridge, CancellationToken cancellationToken)
    {
        if (Exists(veth) && !File.Exists($"/sys/class/net/{veth}/brport/bridge") || Exists(veth) && Path.GetFileName(ResolveMaster(veth)) != bridge)
        {
            await CommandRunner.RunAsync("ip", ["link", "set", veth, "master", bridge, "up"], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Routing between bridges needs the kernel to forward; Berth turns it on, never off (other software may rely on it).</summary>
    public static async Task EnableForwardingAsync(bool ipv6, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync("/proc/sys/net/ipv4/ip_forward", "1", cancellationToken).ConfigureAwait(false);
        if (ipv6)
        {
            await File.WriteAllTextAsync("/proc/sys/net/ipv6/conf/all/forwarding", "1", cancellationToken).ConfigureAwait(false);
        }
    }

    private static string ResolveMaster(string veth)
    {
        var link = new FileInfo($"/sys/class/net/{veth}/master");
        return link.LinkTarget ?? "";
    }

    private static string Prefix(IpSubnet subnet) => subnet.PrefixLength.ToString(CultureInfo.InvariantCulture);
}
