using Berth.Contracts;
using Berth.Daemon.Hosting;
using Berth.Daemon.Store;
using Microsoft.Extensions.Options;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Networking;

/// <summary>
/// Puts the host back to what the store says, at start and every reconcile interval: the bridges of ready networks
/// (with their addresses, up, and running containers' veths attached) and Berth's nftables table, re-applied when
/// it was deleted, flushed or edited. Creates the default network when the daemon has one and it is missing.
/// </summary>
public sealed partial class NetworkReconciler(
    NetworkStore networks,
    NetworkService service,
    ContainerStore containers,
    Firewall firewall,
    NameServer names,
    Runtime.LxcRuntime runtime,
    StatePaths paths,
    TimeProvider time,
    IOptions<BerthOptions> options,
    ILogger<NetworkReconciler> logger) : PeriodicService(time, logger)
{
    protected override TimeSpan Interval => options.Value.ReconcileInterval;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await EnsureDefaultNetworkAsync(stoppingToken).ConfigureAwait(false);
        await base.ExecuteAsync(stoppingToken).ConfigureAwait(false);
    }

    public override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var ready = (await networks.ListAsync(cancellationToken).ConfigureAwait(false)).Where(n => n.Status == NetworkStatus.Ready).ToList();
        foreach (var network in ready)
        {
            if (!Bridges.Exists(network.Bridge))
            {
                // Its dnsmasq was bound to the vanished bridge's address; it starts again once the bridge is back.
                LogRecreatingBridge(logger, network.Bridge);
                await names.StopAsync(network.Name, cancellationToken).ConfigureAwait(false);
            }

            await Bridges.EnsureAsync(network, cancellationToken).ConfigureAwait(false);
            await names.UpdateAsync(network, cancellationToken).ConfigureAwait(false);
        }

        if (ready.Count > 0)
        {
            await Bridges.EnableForwardingAsync(ready.Any(n => n.Ipv6 is not null), cancellationToken).ConfigureAwait(false);
            // Only running (or frozen) ones: a starting container's veth is on no bridge for a moment until LXC puts it on
            // its own, and putting it there first makes LXC's attach fail (the start with it).
            foreach (var container in (await containers.ListAsync(cancellationToken).ConfigureAwait(false)).Where(c => runtime.GetStatus(c.Name) is ContainerStatus.Running or ContainerStatus.Frozen))
            {
                foreach (var nic in container.Nics.Where(n => n.Network.Status == NetworkStatus.Ready))
                {
                    await Bridges.AttachAsync(VethName.For(paths.ContainerDir(container.Name), nic.Index), nic.Network.Bridge, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        if (await firewall.RepairAsync(cancellationToken).ConfigureAwait(false))
        {
            LogFirewallApplied(logger, firewall.Ruleset.Table);
        }
    }

    private async Task EnsureDefaultNetworkAsync(CancellationToken cancellationToken)
    {
        if (options.Value.DefaultNetwork is not { Length: > 0 } subnet || subnet == "none")
        {
            return;
        }

        try
        {
            if (await networks.GetAsync(options.Value.DefaultNetworkName, cancellationToken).ConfigureAwait(false) is null)
            {
                await service.CreateAsync(Access.Caller.System, new NetworkCreateRequest { Name = options.Value.DefaultNetworkName, Subnet = subnet, Nat = true }, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (DomainError ex)
        {
            LogDefaultNetworkRefused(logger, subnet, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bridge {Bridge} was missing; recreating it")]
    private static partial void LogRecreatingBridge(ILogger logger, string bridge);

    [LoggerMessage(Level = LogLevel.Information, Message = "nftables table {Table} applied (it was missing or differed from the store)")]
    private static partial void LogFirewallApplied(ILogger logger, string table);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The default network {Subnet} could not be created: {Reason}")]
    private static partial void LogDefaultNetworkRefused(ILogger logger, string subnet, string reason);
}
