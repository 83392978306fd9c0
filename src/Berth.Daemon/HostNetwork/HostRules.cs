namespace Berth.Daemon.HostNetwork;

/// <summary>The firewall's part of the host network file: IPv4 masquerade for NAT bridges, IPv6 forwarded as it is (routed, no NAT66).</summary>
public static class HostRules
{
    public static IEnumerable<HostBridgeSpec> Masqueraded(IEnumerable<HostBridgeSpec> bridges) => bridges.Where(b => b.Nat && b.Address4 is not null);

    public static IEnumerable<HostBridgeSpec> Routed6(IEnumerable<HostBridgeSpec> bridges) => bridges.Where(b => b.Address6 is not null);

    public static bool Any(IReadOnlyList<HostBridgeSpec> bridges) => Masqueraded(bridges).Any() || Routed6(bridges).Any();

    /// <summary>One line for the plan; equal text means equal rules.</summary>
    public static string Describe(IReadOnlyList<HostBridgeSpec> bridges) => string.Join(", ",
        Masqueraded(bridges).Select(b => $"masquerade {b.Address4!.Subnet} from {b.Name}")
            .Concat(Routed6(bridges).Select(b => $"route {b.Address6!.Subnet} on {b.Name}")));
}
