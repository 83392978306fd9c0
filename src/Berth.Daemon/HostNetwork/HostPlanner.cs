using Berth.Daemon.Errors;
using Berth.Daemon.Networking;

namespace Berth.Daemon.HostNetwork;

/// <summary>
/// Compares the declared bridges with the store (what host apply made before) and the host (what is there now) and
/// lists only what differs, each step with its undo; an empty plan touches nothing. Bridges it did not make are never
/// changed or removed.
/// </summary>
public sealed class HostPlanner(HostBridgeStore store, NetworkStore networks, NameServer names, Firewall firewall, TimeProvider time)
{
    /// <param name="record">Record the declared bridges as applied (false when re-applying the store's own at start).</param>
    public async Task<HostPlan> PlanAsync(IReadOnlyList<HostBridgeSpec> desired, bool record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var stored = await store.ListAsync(cancellationToken).ConfigureAwait(false);
        var rows = (await networks.ListAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(n => n.Name, StringComparer.Ordinal);
        await RefuseAsync(desired, stored, rows, cancellationToken).ConfigureAwait(false);

        var steps = new List<HostStep>();
        var networkChanged = false;
        foreach (var old in stored.Where(s => !desired.Any(d => d.Name == s.Name)))
        {
            if (old.Network && rows.TryGetValue(old.Name, out var row))
            {
                steps.Add(RemoveNetwork(row));
                networkChanged = true;
            }

            if (HostLinks.Exists(old.Name))
            {
                steps.Add(new HostStep($"delete bridge {old.Name}", ct => HostLinks.DeleteBridgeAsync(old.Name, ct), () => RecreateAsync(old)));
            }
        }

        foreach (var bridge in desired)
        {
            var old = stored.FirstOrDefault(s => s.Name == bridge.Name);
            rows.TryGetValue(bridge.Name, out var row);
            var wanted = bridge.Network ? NetworkOf(bridge) : null;
            if (row is not null && old is { Network: true } && (wanted is null || !SameNetwork(row, wanted)))
            {
                steps.Add(RemoveNetwork(row));
                networkChanged = true;
                row = null;
            }

            steps.AddRange(await BridgeStepsAsync(bridge, old, cancellationToken).ConfigureAwait(false));
            if (wanted is not null && row is null)
            {
                steps.Add(AddNetwork(wanted));
                networkChanged = true;
            }
        }

        if (desired.Any(b => b.Routes))
        {
            steps.AddRange(ForwardingSteps(ipv6: false));
            if (desired.Any(b => b.Ipv6 is not null))
            {
                steps.AddRange(ForwardingSteps(ipv6: true));
            }
        }

        var rulesChanged = HostRules.Describe(stored) != HostRules.Describe(desired);
        if (record && !stored.SequenceEqual(desired, Comparer))
        {
            steps.Add(new HostStep("record the declared bridges", ct => store.ReplaceAsync(desired, ct), () => store.ReplaceAsync(stored)));
        }

        if (rulesChanged || networkChanged)
        {
            var text = HostRules.Describe(desired);
            steps.Add(new HostStep($"apply nft table {firewall.Ruleset.Table}{(text.Length > 0 ? ": " + text : "")}", ct => firewall.ApplyAsync(ct)));
        }

        return new HostPlan(steps, desired);
    }

    private static IEnumerable<HostStep> ForwardingSteps(bool ipv6)
    {
        if (!HostLinks.Forwarding(ipv6))
        {
            yield return new HostStep(
                $"set {(ipv6 ? "net.ipv6.conf.all.forwarding" : "net.ipv4.ip_forward")}=1",
                ct => HostLinks.SetForwardingAsync(ipv6, true, ct),
                () => HostLinks.SetForwardingAsync(ipv6, false, CancellationToken.None));
        }
    }

    private static async Task<List<HostStep>> BridgeStepsAsync(HostBridgeSpec bridge, HostBridgeSpec? old, CancellationToken cancellationToken)
    {
        var steps = new List<HostStep>();
        var name = bridge.Name;
        var exists = HostLinks.Exists(name);
        if (!exists)
        {
            steps.Add(new HostStep($"create bridge {name}", ct => HostLinks.CreateBridgeAsync(name, ct), () => HostLinks.DeleteBridgeAsync(name, CancellationToken.None)));
        }

        foreach (var nic in old?.Interfaces.Except(bridge.Interfaces, StringComparer.Ordinal) ?? [])
        {
            if (HostLinks.Master(nic) == name)
            {
                steps.Add(new HostStep($"release {nic} from {name}", ct => HostLinks.ReleaseAsync(nic, ct), () => HostLinks.EnslaveAsync(nic, name, CancellationToken.None)));
            }
        }

        foreach (var nic in bridge.Interfaces)
        {
            if (!exists || HostLinks.Master(nic) != name)
            {
                steps.Add(new HostStep($"enslave {nic} to {name}", ct => HostLinks.EnslaveAsync(nic, name, ct), () => HostLinks.ReleaseAsync(nic, CancellationToken.None)));
            }
        }

        var current = exists ? await HostLinks.AddressesAsync(name, cancellationToken).ConfigureAwait(false) : new HashSet<string>();
        foreach (var address in bridge.Addresses.Where(a => !current.Contains(a.ToString())))
        {
            steps.Add(new HostStep($"add address {address} to {name}", ct => HostLinks.AddAddressAsync(name, address, ct), () => HostLinks.RemoveAddressAsync(name, address, CancellationToken.None)));
        }

        var declared = bridge.Addresses.Select(a => a.ToString()).ToHashSet(StringComparer.Ordinal);
        foreach (var address in old?.Addresses.Where(a => !declared.Contains(a.ToString()) && current.Contains(a.ToString())) ?? [])
        {
            steps.Add(new HostStep($"remove address {address} from {name}", ct => HostLinks.RemoveAddressAsync(name, address, ct), () => HostLinks.AddAddressAsync(name, address, CancellationToken.None)));
        }

        if (!exists || !HostLinks.IsUp(name))
        {
            steps.Add(new HostStep($"bring {name} up", ct => HostLinks.SetUpAsync(name, true, ct)));
        }

        return steps;
    }

    /// <summary>Puts a deleted bridge back as it was declared (the undo of a removal).</summary>
    private static async Task RecreateAsync(HostBridgeSpec bridge)
    {
        if (!HostLinks.Exists(bridge.Name))
        {
            await HostLinks.CreateBridgeAsync(bridge.Name, CancellationToken.None).ConfigureAwait(false);
        }

        foreach (var nic in bridge.Interfaces.Where(HostLinks.Exists))
        {
            await HostLinks.EnslaveAsync(nic, bridge.Name, CancellationToken.None).ConfigureAwait(false);
        }

        foreach (var address in bridge.Addresses)
        {
            await HostLinks.AddAddressAsync(bridge.Name, address, CancellationToken.None).ConfigureAwait(false);
        }

        await HostLinks.SetUpAsync(bridge.Name, true, CancellationToken.None).ConfigureAwait(false);
    }

    private HostStep AddNetwork(NetworkRecord network) => new(
        $"register network {network.Name} ({network.Subnet}{(network.Subnet6 is null ? "" : ", " + network.Subnet6)}{(network.Nat ? ", nat" : "")})",
        async ct =>
        {
            if (!await networks.TryInsertAsync(network, ct).ConfigureAwait(false))
            {
                throw DomainError.Conflict("Network exists", $"a network named '{network.Name}' was created meanwhile; GET /api/v1/networks lists them.");
            }

            await Bridges.EnsureAsync(network, ct).ConfigureAwait(false);
            await names.UpdateAsync(network, ct).ConfigureAwait(false);
        },
        async () =>
        {
            await names.StopAsync(network.Name, CancellationToken.None).ConfigureAwait(false);
            await networks.DeleteAsync(network.Name, CancellationToken.None).ConfigureAwait(false);
        });

    private HostStep RemoveNetwork(NetworkRecord network) => new(
        $"unregister network {network.Name}",
        async ct =>
        {
            await names.StopAsync(network.Name, ct).ConfigureAwait(false);
            await networks.DeleteAsync(network.Name, ct).ConfigureAwait(false);
        },
        async () =>
        {
            await networks.TryInsertAsync(network, CancellationToken.None).ConfigureAwait(false);
            if (HostLinks.Exists(network.Bridge))
            {
                await names.UpdateAsync(network, CancellationToken.None).ConfigureAwait(false);
            }
        });

    private NetworkRecord NetworkOf(HostBridgeSpec bridge) => new()
    {
        Name = bridge.Name,
        Subnet = bridge.Address4!.Subnet.ToString(),
        Subnet6 = bridge.Address6?.Subnet.ToString(),
        Nat = bridge.Nat,
        Status = NetworkStatus.Ready,
        CreatedAt = time.GetUtcNow(),
    };

    private static bool SameNetwork(NetworkRecord row, NetworkRecord wanted) =>
        row.Subnet == wanted.Subnet && row.Subnet6 == wanted.Subnet6 && row.Nat == wanted.Nat && !row.Isolated && !row.Internal && row.Owner is null;

    /// <summary>What the host or the store has that the file cannot take over; refused before anything changes.</summary>
    private async Task RefuseAsync(IReadOnlyList<HostBridgeSpec> desired, IReadOnlyList<HostBridgeSpec> stored, Dictionary<string, NetworkRecord> rows, CancellationToken cancellationToken)
    {
        var ours = stored.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var declared = desired.Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var bridge in desired)
        {
            if (!ours.Contains(bridge.Name) && rows.ContainsKey(bridge.Name))
            {
                throw DomainError.Conflict("Bridge is a network", $"bridges.{bridge.Name}: '{bridge.Name}' is a Berth network made through the networks API, not by host apply; choose another bridge name.");
            }

            if (!ours.Contains(bridge.Name) && HostLinks.Exists(bridge.Name))
            {
                throw DomainError.Conflict("Interface exists", $"bridges.{bridge.Name}: the host already has an interface '{bridge.Name}' that host apply did not make; host apply changes only bridges it created, so choose another name.");
            }

            if (ours.Contains(bridge.Name) && HostLinks.Exists(bridge.Name) && !HostLinks.IsBridge(bridge.Name))
            {
                throw DomainError.Conflict("Interface is not a bridge", $"bridges.{bridge.Name}: the host's interface '{bridge.Name}' is no longer a bridge; remove it or choose another name.");
            }

            foreach (var nic in bridge.Interfaces)
            {
                if (HostLinks.Master(nic) is { } master && master != bridge.Name && !ours.Contains(master) && !declared.Contains(master))
                {
                    throw DomainError.Conflict("Interface enslaved elsewhere", $"bridges.{bridge.Name}.interfaces: '{nic}' belongs to '{master}', which host apply did not make; release it from there first.");
                }
            }

            foreach (var other in rows.Values.Where(n => !(ours.Contains(n.Name) && stored.First(s => s.Name == n.Name).Network)))
            {
                if (bridge.Address4 is { } a4 && a4.Subnet.Overlaps(other.Ipv4) || bridge.Address6 is { } a6 && other.Ipv6 is { } o6 && a6.Subnet.Overlaps(o6))
                {
                    throw DomainError.Conflict("Subnet overlaps", $"bridges.{bridge.Name}: its subnet overlaps network '{other.Name}' ({other.Subnet}{(other.Subnet6 is null ? "" : " / " + other.Subnet6)}); choose another range.");
                }
            }
        }

        // An address of the subnet already on another host interface would make two routes for one subnet (the bridge
        // itself and the interfaces the file enslaves to it may carry it: their addresses are the ones being moved).
        foreach (var nic in System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces())
        {
            var owner = desired.FirstOrDefault(b => b.Name == nic.Name || b.Interfaces.Contains(nic.Name, StringComparer.Ordinal));
            foreach (var address in nic.GetIPProperties().UnicastAddresses.Select(a => a.Address).Where(a => !a.IsIPv6LinkLocal))
            {
                if (desired.FirstOrDefault(b => b != owner && b.Addresses.Any(h => h.Subnet.Contains(address))) is { } bridge)
                {
                    throw DomainError.Conflict("Subnet overlaps", $"bridges.{bridge.Name}: {address} on the host's interface '{nic.Name}' is inside its subnet; choose another range.");
                }
            }
        }

        foreach (var old in stored.Where(s => s.Network))
        {
            var still = desired.FirstOrDefault(d => d.Name == old.Name);
            var keeps = still is { Network: true } && rows.TryGetValue(old.Name, out var row) && SameNetwork(row, NetworkOf(still));
            if (!keeps && (await networks.ListLeasesAsync(old.Name, cancellationToken).ConfigureAwait(false)).Select(l => l.Container).ToList() is { Count: > 0 } users)
            {
                throw DomainError.Conflict("Network in use", $"bridges.{old.Name}: network '{old.Name}' is used by {string.Join(", ", users)}; move or delete those containers before removing or changing it.");
            }
        }
    }

    private static readonly EqualityComparer<HostBridgeSpec> Comparer = EqualityComparer<HostBridgeSpec>.Create((a, b) => a is not null && b is not null && a.SameAs(b), b => b.Name.GetHashCode(StringComparison.Ordinal));
}
