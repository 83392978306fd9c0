using System.Globalization;
using System.Net.NetworkInformation;
using System.Text;
using Berth.Daemon.Processes;

namespace Berth.Daemon.Networking;

/// <summary>The Linux bridges of managed networks, driven with iproute2; every step is idempotent so the reconciler can repeat it.</summary>
public static class Bridges
{
    public static bool Exists(string name) => Directory.Exists($"/sys/class/net/{name}");

    /// <summary>
    /// Creates the bridge if missing, gives it the gateway address(es) and brings it up. What is already so is read
    /// in-process (sysfs and the kernel's address list) and costs no process; what is not is done by one
    /// <c>ip -batch</c>, since a process per step was most of a start's network cost.
    /// </summary>
    public static async Task EnsureAsync(NetworkRecord network, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(network);
        var batch = Batch(network, Observe(network.Bridge));
        if (batch.Length > 0)
        {
            await CommandRunner.RunAsync("ip", ["-batch", "-"], cancellationToken, standardInput: batch).ConfigureAwait(false);
        }

        // Only on Berth's own bridge (it goes with the bridge): the host's loopback connections to forwards route out
        // of it; the nft guard chain keeps containers from sending to 127/8 through it. A bridge is made without
        // ports, so setting this just after it came up leaves no window in which a container could use it.
        var routeLocalnet = $"/proc/sys/net/ipv4/conf/{network.Bridge}/route_localnet";
        if ((await File.ReadAllTextAsync(routeLocalnet, cancellationToken).ConfigureAwait(false)).Trim() != "1")
        {
            await File.WriteAllTextAsync(routeLocalnet, "1", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The <c>ip -batch</c> lines that bring <paramref name="observed"/> to what <paramref name="network"/> wants, in
    /// order (create, addresses, up); empty when it is already so.
    /// </summary>
    public static string Batch(NetworkRecord network, BridgeState observed)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(observed);
        var bridge = RequireBatchSafe(network.Bridge);
        var lines = new StringBuilder();
        if (!observed.Exists)
        {
            lines.Append(CultureInfo.InvariantCulture, $"link add {bridge} type bridge\n");
        }

        foreach (var subnet in new[] { network.Ipv4, network.Ipv6 }.OfType<IpSubnet>())
        {
            var address = $"{subnet.Gateway}/{Prefix(subnet)}";
            if (!observed.Exists || !observed.Addresses.Contains(address))
            {
                // IPv6: no duplicate detection, so the gateway answers at once (the family follows from the address).
                lines.Append(CultureInfo.InvariantCulture, $"addr replace {address} dev {bridge}{(subnet.IsIpv4 ? "" : " nodad")}\n");
            }
        }

        if (!observed.Exists || !observed.Up)
        {
            lines.Append(CultureInfo.InvariantCulture, $"link set {bridge} up\n");
        }

        return lines.ToString();
    }

    /// <summary>What the kernel has for <paramref name="bridge"/> now: whether it exists, is up, and its addresses as ADDRESS/PREFIX.</summary>
    public static BridgeState Observe(string bridge)
    {
        if (!Exists(bridge))
        {
            return new BridgeState(false, false, new HashSet<string>(StringComparer.Ordinal));
        }

        // IFF_UP, the administrative state (a bridge without ports is up but has no carrier).
        var flags = File.ReadAllText($"/sys/class/net/{bridge}/flags").Trim();
        var up = flags.StartsWith("0x", StringComparison.Ordinal)
            && int.TryParse(flags.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value) && (value & 1) != 0;
        var addresses = NetworkInterface.GetAllNetworkInterfaces()
            .Where(i => i.Name == bridge)
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(a => $"{a.Address}/{a.PrefixLength.ToString(CultureInfo.InvariantCulture)}")
            .ToHashSet(StringComparer.Ordinal);
        return new BridgeState(true, up, addresses);
    }

    /// <summary>ip's batch parser splits on blanks and knows quotes and comments; an interface name has none of those, and this says so.</summary>
    private static string RequireBatchSafe(string bridge) =>
        bridge.Length > 0 && bridge.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? bridge
            : throw new ArgumentException($"'{bridge}' is not a bridge name", nameof(bridge));

    public static async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        if (Exists(name))
        {
            await CommandRunner.RunAsync("ip", ["link", "delete", name, "type", "bridge"], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Puts a running container's host veth back on its bridge (after the bridge was recreated, its ports are gone).
    /// A veth already on it costs no process: the reconciler asks this of every running container on every pass.
    /// </summary>
    public static async Task AttachAsync(string veth, string bridge, CancellationToken cancellationToken)
    {
        if (Exists(veth) && Path.GetFileName(ResolveMaster(veth)) != bridge)
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

    /// <summary>The link to the device the veth is a port of ("../BRIDGE"); empty when it is on none.</summary>
    private static string ResolveMaster(string veth)
    {
        var link = new FileInfo($"/sys/class/net/{veth}/master");
        return link.LinkTarget ?? "";
    }

    private static string Prefix(IpSubnet subnet) => subnet.PrefixLength.ToString(CultureInfo.InvariantCulture);
}
