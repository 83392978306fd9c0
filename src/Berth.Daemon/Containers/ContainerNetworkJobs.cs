using Berth.Contracts;
using Berth.Daemon.Api;
using Berth.Daemon.Events;
using Berth.Daemon.Hosting;
using Berth.Daemon.Jobs;
using Berth.Daemon.Networking;
using Berth.Daemon.Runtime;
using Berth.Daemon.Store;

namespace Berth.Daemon.Containers;

/// <summary>
/// Moves a stopped container's first interface to another network (or to none, when the next interface becomes eth0
/// and carries the default route): its lease moves in one transaction, then its LXC
/// configuration, resolv.conf, both networks' DNS names and the firewall (forwards follow the lease) are rewritten.
/// A failure puts the old leases (every interface's) back and rewrites them all again.
/// </summary>
public sealed class ContainerNetworkJobs(
    ContainerStore containers,
    NetworkStore networks,
    LxcRuntime runtime,
    LxcConfigRenderer renderer,
    ContainerIdentity identity,
    NameServer names,
    Firewall firewall,
    EventBroker events,
    ILogger<ContainerNetworkJobs> logger) : IJobHandler
{
    public IReadOnlyCollection<string> Kinds { get; } = [JobKinds.NetworkChange];

    public async Task RunAsync(JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var args = context.Args<NetworkChangeArgs>();
        var ct = context.CancellationToken;
        await using var reverter = new Reverter(logger);
        reverter.Add("give the container back", () => containers.SetStatusAsync(args.Name, ContainerRecordStatus.Ready, null));
        if (runtime.GetStatus(args.Name) != ContainerStatus.Stopped)
        {
            throw BerthProblem.Conflict("Container running", $"'{args.Name}' was started before its network could change; stop it and change it again.");
        }

        var target = args.Network is null ? null : await networks.GetAsync(args.Network, ct).ConfigureAwait(false)
            ?? throw BerthProblem.NotFound("Network not found", $"network '{args.Network}' was deleted meanwhile.");
        var address = args.Address is null ? null : System.Net.IPAddress.Parse(args.Address);
        if (!await networks.TryMoveLeaseAsync(args.Name, target, address, ct).ConfigureAwait(false))
        {
            throw address is null
                ? BerthProblem.Conflict("Network full", $"network '{target!.Name}' ({target.Subnet}) has no free address left.")
                : BerthProblem.Conflict("Address taken", $"{address} is already used on network '{target!.Name}'; leave out ip to get a free one.");
        }

        reverter.Add("put the old lease back and rewrite what follows it", () => RewriteAsync(args, restore: true, CancellationToken.None));
        context.Report(target is null ? $"detaching {args.Name} from its network" : $"moving {args.Name} to network {target.Name}");
        await RewriteAsync(args, restore: false, ct).ConfigureAwait(false);
        await containers.SetStatusAsync(args.Name, ContainerRecordStatus.Ready, null, ct).ConfigureAwait(false);
        reverter.Success();
        var first = target is null ? (await containers.GetAsync(args.Name, ct).ConfigureAwait(false))?.Nic : null;
        events.Lifecycle("container.network-changed", args.Name, context.Job.Id, target is not null ? $"network {target.Name}" : first is null ? "no network" : $"its first interface removed; eth0 is now on network {first.Network.Name}");
    }

    /// <summary>After a crash the change is undone: the old lease and everything rendered from it come back.</summary>
    public async Task<JobRecovery> RecoverAsync(JobRecord job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var args = System.Text.Json.JsonSerializer.Deserialize<NetworkChangeArgs>(job.Args, BerthJson.Options)!;
        if (await containers.GetAsync(args.Name, cancellationToken).ConfigureAwait(false) is not null)
        {
            await RewriteAsync(args, restore: true, cancellationToken).ConfigureAwait(false);
            await containers.SetStatusAsync(args.Name, ContainerRecordStatus.Ready, null, cancellationToken).ConfigureAwait(false);
        }

        return new JobRecovery(false, $"the network change of '{args.Name}' was undone; change it again");
    }

    private async Task RewriteAsync(NetworkChangeArgs args, bool restore, CancellationToken cancellationToken)
    {
        if (restore && args.PreviousLeases is { } leases)
        {
            await networks.RestoreLeasesAsync(args.Name, leases, cancellationToken).ConfigureAwait(false);
        }
        else if (restore)
        {
            await networks.RestoreLeaseAsync(args.Name, args.Previous, cancellationToken).ConfigureAwait(false);
        }

        var record = await containers.GetAsync(args.Name, cancellationToken).ConfigureAwait(false) ?? throw new InvalidOperationException($"the store lost '{args.Name}'");
        renderer.Write(record);
        await identity.WriteAsync(record, cancellationToken).ConfigureAwait(false);
        foreach (var name in new[] { args.Previous?.Network, args.Network }.Concat(args.PreviousLeases?.Select(l => l.Network) ?? []).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            if (await networks.GetAsync(name, cancellationToken).ConfigureAwait(false) is { Status: NetworkStatus.Ready } network)
            {
                await names.UpdateAsync(network, cancellationToken).ConfigureAwait(false);
            }
        }

        await firewall.ApplyAsync(cancellationToken).ConfigureAwait(false);
    }
}
