using System.Globalization;
using System.Net;
using System.Text;

namespace Berth.Daemon.Networking;

/// <summary>
/// Renders Berth's whole nftables state from the store as one transaction: the table is created if missing, deleted
/// and written again, so what the kernel holds is exactly what was rendered, applied atomically by <c>nft -f -</c>.
/// Only the tables named <see cref="Table"/> are touched.
/// </summary>
public sealed class NftRuleset(string table)
{
    public string Table { get; } = table;

    /// <param name="isolatedPorts">Host veth names of the containers on isolated networks.</param>
    /// <param name="memberPorts">Host veth names of members' containers on shared networks, one group per member.</param>
    /// <param name="hostBridges">The bridges of the host network file: their masquerade and routed IPv6 rules.</param>
    public string Render(IReadOnlyList<NetworkRecord> networks, IReadOnlyList<PortForward> forwards, IReadOnlyCollection<string> isolatedPorts, IReadOnlyList<IReadOnlyList<string>>? memberPorts = null, IReadOnlyList<HostNetwork.HostBridgeSpec>? hostBridges = null)
    {
        memberPorts ??= [];
        hostBridges ??= [];
        var routed6 = HostNetwork.HostRules.Routed6(hostBridges).ToList();
        var hostNames = hostBridges.Select(b => b.Name).ToHashSet(StringComparer.Ordinal);
        ArgumentNullException.ThrowIfNull(isolatedPorts);
        ArgumentNullException.ThrowIfNull(networks);
        ArgumentNullException.ThrowIfNull(forwards);
        var text = new StringBuilder();
        void Line(string line) => text.Append(Hosting.ControlCharacters.RefuseIn(line, "the nftables ruleset")).Append('\n');

        Line($"table inet {Table} {{}}");
        Line($"delete table inet {Table}");
        Line($"table bridge {Table} {{}}");
        Line($"delete table bridge {Table}");
        Line($"table inet {Table} {{");
        var bridges = "{ " + string.Join(", ", networks.Select(n => $"\"{n.Bridge}\"")) + " }";
        if (networks.Count > 0)
        {
            // Bridges have route_localnet (so the host's loopback reaches forwards); a container never may send to 127/8.
            Line("  chain guard {");
            Line("    type filter hook prerouting priority raw; policy accept;");
            Line($"    iifname {bridges} ip daddr 127.0.0.0/8 drop");
            Line("  }");
        }

        Line("  chain prerouting {");
        Line("    type nat hook prerouting priority dstnat; policy accept;");
        foreach (var rule in forwards.SelectMany(f => Dnat(f, output: false)))
        {
            Line("    " + rule);
        }

        Line("  }");
        Line("  chain output {");
        Line("    type nat hook output priority -100; policy accept;");
        foreach (var rule in forwards.SelectMany(f => Dnat(f, output: true)))
        {
            Line("    " + rule);
        }

        Line("  }");
        Line("  chain postrouting {");
        Line("    type nat hook postrouting priority srcnat; policy accept;");
        foreach (var network in networks.Where(n => n.Nat))
        {
            Line($"    ip saddr {network.Ipv4} ip daddr != {network.Ipv4} oifname != \"{network.Bridge}\" masquerade");
            if (network.Ipv6 is { } subnet6 && !hostNames.Contains(network.Bridge))
            {
                Line($"    ip6 saddr {subnet6} ip6 daddr != {subnet6} oifname != \"{network.Bridge}\" masquerade");
            }
        }

        // A host bridge that is a network masquerades through its network's row above; IPv6 of host bridges is routed, never NAT66.
        foreach (var bridge in HostNetwork.HostRules.Masqueraded(hostBridges).Where(b => !b.Network))
        {
            var subnet = bridge.Address4!.Subnet;
            Line($"    ip saddr {subnet} ip daddr != {subnet} oifname != \"{bridge.Name}\" masquerade");
        }

        if (networks.Count > 0)
        {
            // The host's own loopback connections to a forward leave from the gateway, so the container can answer.
            Line($"    oifname {bridges} ip saddr 127.0.0.0/8 masquerade");
        }

        Line("  }");
        if (networks.Count > 0 || routed6.Count > 0)
        {
            Line("  chain forward {");
            Line("    type filter hook forward priority filter; policy accept;");

            // Containers on different networks never reach each other (traffic within one bridge is not routed).
            foreach (var network in networks)
            {
                var others = networks.Where(n => n.Name != network.Name).Select(n => $"\"{n.Bridge}\"").ToList();
                if (others.Count > 0)
                {
                    Line($"    iifname \"{network.Bridge}\" oifname {{ {string.Join(", ", others)} }} drop");
                }
            }

            foreach (var network in networks.Where(n => n.Internal))
            {
                // Nothing is routed out of (or into) an internal network but its forwards; traffic within the bridge
                // stays allowed (it passes this hook when br_netfilter is loaded).
                Line($"    iifname \"{network.Bridge}\" ct status dnat accept");
                Line($"    oifname \"{network.Bridge}\" ct status dnat accept");
                Line($"    iifname \"{network.Bridge}\" oifname != \"{network.Bridge}\" drop");
                Line($"    oifname \"{network.Bridge}\" iifname != \"{network.Bridge}\" drop");
            }

            // Routed IPv6: the bridge's prefix is forwarded both ways as it is (after the drops above, which still hold).
            foreach (var bridge in routed6)
            {
                Line($"    iifname \"{bridge.Name}\" ip6 saddr {bridge.Address6!.Subnet} accept");
                Line($"    oifname \"{bridge.Name}\" ip6 daddr {bridge.Address6!.Subnet} accept");
            }

            Line("  }");
        }

        if (networks.Count > 0)
        {
            Line("  chain input {");
            Line("    type filter hook input priority filter; policy accept;");
            Line($"    iifname {bridges} ct state established,related accept");
            Line($"    iifname {bridges} meta l4proto {{ icmp, ipv6-icmp }} accept");
            foreach (var network in networks)
            {
                // The host's own services are closed to containers; only the network's DNS on its gateway is open.
                Line($"    iifname \"{network.Bridge}\" ip daddr {network.Ipv4.Gateway} udp dport 53 accept");
                Line($"    iifname \"{network.Bridge}\" ip daddr {network.Ipv4.Gateway} tcp dport 53 accept");
            }

            Line($"    iifname {bridges} drop");
            Line("  }");
        }

        Line("}");

        if (isolatedPorts.Count > 0 || memberPorts.Count > 0)
        {
            // Frames bridged from an isolated container's port to another port are dropped; frames to and from the host
            // are not forwarded, so the gateway stays reachable. (meta ibrname would name the bridge, but needs
            // nft_meta_bridge, which not every kernel has.)
            Line($"table bridge {Table} {{");
            Line("  chain forward {");
            Line("    type filter hook forward priority filter; policy accept;");
            if (isolatedPorts.Count > 0)
            {
                Line($"    iifname {{ {string.Join(", ", isolatedPorts.Order(StringComparer.Ordinal).Select(p => $"\"{p}\""))} }} drop");
            }

            // On a shared network a member's containers reach their own and the gateway only, in both directions.
            foreach (var group in memberPorts.Where(g => g.Count > 0))
            {
                var set = "{ " + string.Join(", ", group.Order(StringComparer.Ordinal).Select(p => $"\"{p}\"")) + " }";
                Line($"    iifname {set} oifname != {set} drop");
                Line($"    oifname {set} iifname != {set} drop");
            }

            Line("  }");
            Line("}");
        }

        return text.ToString();
    }

    /// <summary>Deletes both tables (kept only if present), e.g. when the last network goes.</summary>
    public string RenderDelete() =>
        $"table inet {Table} {{}}\ndelete table inet {Table}\ntable bridge {Table} {{}}\ndelete table bridge {Table}\n";

    /// <summary>The DNAT rules of one forward: IPv4 to the container's address, IPv6 to its IPv6 address when it has one.</summary>
    /// <param name="output">The output hook: IPv6 loopback is left alone (it has no route_localnet), so ::1 is refused at once and clients fall back to 127.0.0.1.</param>
    private static IEnumerable<string> Dnat(PortForward forward, bool output)
    {
        var listen = forward.ListenAddress is null ? null : IPAddress.Parse(forward.ListenAddress);
        var ipv6Listen = listen?.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        if (forward.TargetAddress is { } address && !ipv6Listen)
        {
            yield return Dnat(forward, listen is null ? "fib daddr type local" : $"ip daddr {listen}", "ipv4", "ip", address);
        }

        if (forward.TargetAddress6 is { } address6 && (listen is null || ipv6Listen))
        {
            yield return Dnat(forward, listen is not null ? $"ip6 daddr {listen}" : output ? "ip6 daddr != ::1 fib daddr type local" : "fib daddr type local", "ipv6", "ip6", $"[{address6}]");
        }
    }

    private static string Dnat(PortForward forward, string match, string family, string nat, string address)
    {
        var hostPorts = Ports(forward.HostPort, forward.HostPortEnd);

        // A range forwarded to the same ports keeps each port; otherwise the target names its port(s).
        var target = forward.HostPort == forward.ContainerPort && forward.HostPortEnd != forward.HostPort
            ? address.Trim('[', ']')
            : $"{address}:{Ports(forward.ContainerPort, forward.ContainerPortEnd)}";
        return $"{match} meta nfproto {family} {forward.Protocol} dport {hostPorts} dnat {nat} to {target}";
    }

    private static string Ports(int start, int end) => start == end
        ? start.ToString(CultureInfo.InvariantCulture)
        : $"{start.ToString(CultureInfo.InvariantCulture)}-{end.ToString(CultureInfo.InvariantCulture)}";
}
