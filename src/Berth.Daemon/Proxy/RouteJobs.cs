using Berth.Daemon.Events;
using Berth.Daemon.Jobs;
using Berth.Daemon.Store;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Proxy;

/// <summary>Applies route changes to nginx; a route whose apply fails is removed again and nginx keeps its last configuration.</summary>
public sealed class RouteJobs(RouteStore routes, ReverseProxy proxy, RouteCertificateRequests acme, EventBroker events, ILogger<RouteJobs> logger) : IJobHandler
{
    public IReadOnlyCollection<string> Kinds { get; } = [ProxyJobKinds.RouteAdd, ProxyJobKinds.RouteRemove];

    public async Task RunAsync(JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var args = context.Args<RouteArgs>();
        var ct = context.CancellationToken;
        if (context.Job.Kind == ProxyJobKinds.RouteAdd)
        {
            await using var reverter = new Reverter(logger);
            // Undone after the row: a --tls auto route's pending ACME request goes with it.
            reverter.Add("forget the domain's pending ACME request", () => acme.ForgetAsync(args.Domain, CancellationToken.None));
            reverter.Add("remove the route's row", () => routes.DeleteAsync(args.Domain, args.Path));
            await proxy.ApplyAsync(ct).ConfigureAwait(false);
            reverter.Success();
            events.Lifecycle(args.Container == PanelUpstream.Marker ? "panel.route-added" : "container.route-added", args.Container, context.Job.Id, args.Domain + args.Path);
        }
        else
        {
            // The request deleted the row; deleting here could take a route added again since.
            await proxy.ApplyAsync(ct).ConfigureAwait(false);
            events.Lifecycle(args.Container == PanelUpstream.Marker ? "panel.route-removed" : "container.route-removed", args.Container, context.Job.Id, args.Domain + args.Path);
        }
    }

    public async Task<JobRecovery> RecoverAsync(JobRecord job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var args = System.Text.Json.JsonSerializer.Deserialize<RouteArgs>(job.Args, Contracts.BerthJson.Options)!;
        try
        {
            await proxy.ApplyAsync(cancellationToken).ConfigureAwait(false);
            return new JobRecovery(true, "nginx was configured from the store after the restart");
        }
        catch (DomainError ex) when (job.Kind == ProxyJobKinds.RouteAdd)
        {
            await routes.DeleteAsync(args.Domain, args.Path, cancellationToken).ConfigureAwait(false);
            await acme.ForgetAsync(args.Domain, cancellationToken).ConfigureAwait(false);
            await proxy.ApplyAsync(cancellationToken).ConfigureAwait(false);
            return new JobRecovery(false, $"the route was removed again: {ex.Message}");
        }
    }
}
