using Berth.Daemon.Events;
using Berth.Daemon.Jobs;
using Berth.Daemon.Store;

namespace Berth.Daemon.Networking;

/// <summary>Runs network jobs: create (bridge, forwarding, firewall; undone on failure) and delete.</summary>
public sealed class NetworkJobs(NetworkStore networks, Firewall firewall, NameServer names, EventBroker events, ILogger<NetworkJobs> logger) : IJobHandler
{
    public IReadOnlyCollection<string> Kinds { get; } = [NetworkJobKinds.Create, NetworkJobKinds.Delete];

    public Task RunAsync(JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Job.Kind == NetworkJobKinds.Create ? CreateAsync(context) : DeleteAsync(context);
    }

    public async Task<JobRecovery> RecoverAsync(JobRecord job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var network = await networks.GetAsync(job.Target, cancellationToken).ConfigureAwait(false);
        if (job.Kind == NetworkJobKinds.Create && network is { Status: NetworkStatus.Ready })
        {
            return new JobRecovery(true, $"network '{job.Target}' had been fully created before the restart");
        }

        if (network is not null && network.JobId == job.Id)
        {
            await names.StopAsync(network.Name, cancellationToken).ConfigureAwait(false);
            await Bridges.DeleteAsync(network.Bridge, cancellationToken).ConfigureAwait(false);
            await networks.DeleteAsync(network.Name, cancellationToken).ConfigureAwait(false);
            await firewall.ApplyAsync(cancellationToken).ConfigureAwait(false);
        }

        return job.Kind == NetworkJobKinds.Create
            ? new JobRecovery(false, $"the half-made network '{job.Target}' was removed; create it again")
            : new JobRecovery(true, $"the delete of network '{job.Target}' was finished");
    }

    private async Task CreateAsync(JobContext context)
    {
        var ct = context.CancellationToken;
        var name = context.Args<NetworkArgs>().Name;
        var network = await networks.GetAsync(name, ct).ConfigureAwait(false) ?? throw new InvalidOperationException($"the store has no row for network '{name}'");

        await using var reverter = new Reverter(logger);
        reverter.Add("remove the network's row", () => networks.DeleteAsync(name));

        context.Report($"creating bridge {network.Bridge}");
        reverter.Add("delete the bridge", () => Bridges.DeleteAsync(network.Bridge, CancellationToken.None));
        await Bridges.EnsureAsync(network, ct).ConfigureAwait(false);
        await Bridges.EnableForwardingAsync(network.Ipv6 is not null, ct).ConfigureAwait(false);

        context.Report("applying the firewall");
        reverter.Add("apply the firewall without the network", () => firewall.ApplyAsync(CancellationToken.None, without: name));
        await firewall.ApplyAsync(ct).ConfigureAwait(false);

        context.Report("starting its name server");
        reverter.Add("stop the name server", () => names.StopAsync(name, CancellationToken.None));
        await names.UpdateAsync(network, ct).ConfigureAwait(false);

        await networks.SetStatusAsync(name, NetworkStatus.Ready, null, ct).ConfigureAwait(false);
        reverter.Success();
        events.Lifecycle("network.created", name, context.Job.Id);
    }

    private async Task DeleteAsync(JobContext context)
    {
        var ct = context.CancellationToken;
        var name = context.Args<NetworkArgs>().Name;
        await firewall.ApplyAsync(ct, without: name).ConfigureAwait(false);
        await names.StopAsync(name, ct).ConfigureAwait(false);
        await Bridges.DeleteAsync(name, ct).ConfigureAwait(false);
        await networks.DeleteAsync(name, ct).ConfigureAwait(false);
        events.Lifecycle("network.deleted", name, context.Job.Id);
    }
}
