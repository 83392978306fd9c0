using Berth.Daemon.Hosting;
using Berth.Daemon.Processes;
using Microsoft.Extensions.Options;

namespace Berth.Daemon.Networking;

/// <summary>
/// Applies Berth's nftables table, rendered whole from the store, with one <c>nft -f -</c> transaction; one apply at
/// a time. Remembers what the kernel listed after the last apply so the reconciler can tell when someone changed it.
/// </summary>
public sealed class Firewall(NetworkStore networks, ForwardStore forwards, HostNetwork.HostBridgeStore hostBridges, StatePaths paths, IOptions<BerthOptions> options)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _appliedListing;

    public NftRuleset Ruleset { get; } = new(options.Value.NftTable);

    /// <summary>Renders from the store (networks not being deleted, optionally one left out) and applies atomically.</summary>
    public async Task ApplyAsync(CancellationToken cancellationToken, string? without = null)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await ApplyLockedAsync(without, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Re-applies when the kernel's table differs from what Berth last applied (deleted, flushed, edited); true when it did.</summary>
    public async Task<bool> RepairAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var listing = await ListAsync(cancellationToken).ConfigureAwait(false);
            if (_appliedListing is not null && listing == _appliedListing)
            {
                return false;
            }

            await ApplyLockedAsync(null, cancellationToken).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task ApplyLockedAsync(string? without, CancellationToken cancellationToken)
    {
        var all = await networks.ListAsync(cancellationToken).ConfigureAwait(false);
        var active = all.Where(n => n.Status != NetworkStatus.Deleting && n.Name != without).ToList();
        var rules = await forwards.ListResolvedAsync(cancellationToken).ConfigureAwait(false);
        var isolated = active.Where(n => n.Isolated).Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        var ports = (await networks.ListLeasesAsync(null, cancellationToken).ConfigureAwait(false))
            .Where(l => isolated.Contains(l.Network)).Select(l => VethName.For(paths.ContainerDir(l.Container), l.Nic)).ToList();
        var members = await networks.ListMemberPortsOnSharedAsync((container, nic) => VethName.For(paths.ContainerDir(container), nic), cancellationToken).ConfigureAwait(false);
        var host = await hostBridges.ListAsync(cancellationToken).ConfigureAwait(false);
        var text = active.Count == 0 && rules.Count == 0 && !HostNetwork.HostRules.Any(host) ? Ruleset.RenderDelete() : Ruleset.Render(active, rules, ports, members, host);
        _appliedListing = null;
        await CommandRunner.RunAsync("nft", ["-f", "-"], cancellationToken, standardInput: text).ConfigureAwait(false);
        _appliedListing = await ListAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> ListAsync(CancellationToken cancellationToken)
    {
        var inet = await CommandRunner.TryRunAsync("nft", ["list", "table", "inet", Ruleset.Table], cancellationToken).ConfigureAwait(false);
        var bridge = await CommandRunner.TryRunAsync("nft", ["list", "table", "bridge", Ruleset.Table], cancellationToken).ConfigureAwait(false);
        return (inet.ExitCode == 0 ? inet.Stdout : "") + "\n--\n" + (bridge.ExitCode == 0 ? bridge.Stdout : "");
    }
}
