using Berth.Daemon.Events;
using Berth.Daemon.Jobs;
using Berth.Daemon.Store;

namespace Berth.Daemon.Networking;

/// <summary>Applies forward changes to the firewall; a forward whose apply fails is removed again.</summary>
public sealed class ForwardJobs(ForwardStore forwards, Firewall firewall, EventBroker events, ILogger<ForwardJobs> logger) : IJobHandler
{
    public IReadOnlyCollection<string> Kinds { get; } = [NetworkJobKinds.ForwardAdd, NetworkJobKinds.ForwardRemove];

    public async Task RunAsync(JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var args = context.Args<ForwardArgs>();
        var ct = context.CancellationToken;
        if (context.Job.Kind == NetworkJobKinds.ForwardAdd)
        {
            await using var reverter = new Reverter(logger);
            reverter.Add("remove the forward's row", () => forwards.DeleteAsync(args.Container, args.Protocol, args.HostPort));
            await firewall.ApplyAsync(ct).ConfigureAwait(false);
            reverter.Success();
            events.Lifecycle("container.forward-added", args.Container, context.Job.Id, $"{args.Protocol} {args.HostPort}");
        }
        else
        {
            await forwards.DeleteAsync(args.Container, args.Protocol, args.HostPort, ct).ConfigureAwait(false);
            await firewall.ApplyAsync(ct).ConfigureAwait(false);
            events.Lifecycle("container.forward-removed", args.Container, context.Job.Id, $"{args.Protocol} {args.HostPort}");
        }
    }

    public async Task<JobRecovery> RecoverAsync(JobRecord job, CancellationToken cancellationToken)
    {
        // The firewall is rendered from the store, so applying it again finishes either kind of job.
        await firewall.ApplyAsync(cancellationToken).ConfigureAwait(false);
        return new JobRecovery(true, "the firewall was applied from the store after the restart");
    }
}
