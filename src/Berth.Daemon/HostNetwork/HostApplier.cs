using Berth.Contracts;
using Berth.Daemon.Events;
using Berth.Daemon.Jobs;
using Berth.Daemon.Networking;

namespace Berth.Daemon.HostNetwork;

/// <summary>
/// Applies the host network file: parse (refused whole on any error), plan, then the plan's steps in order with each
/// one's undo registered as it succeeds, so a failure part-way leaves the host as it was. One apply at a time.
/// </summary>
public sealed partial class HostApplier(HostPlanner planner, HostBridgeStore store, Firewall firewall, EventBroker events, ILogger<HostApplier> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<HostPlanInfo> ApplyAsync(HostApplyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var defaultRoute = await HostLinks.DefaultRouteInterfacesAsync(cancellationToken).ConfigureAwait(false);
        var desired = HostFile.Parse(request.File, HostLinks.Exists, defaultRoute, request.Force);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var plan = await planner.PlanAsync(desired, record: true, cancellationToken).ConfigureAwait(false);
            var changes = plan.Steps.Select(s => s.Description).ToList();
            if (request.DryRun || changes.Count == 0)
            {
                return new HostPlanInfo { Changes = changes, Applied = false };
            }

            await RunAsync(plan, cancellationToken).ConfigureAwait(false);
            events.Lifecycle("host.network.applied", "host", null);
            return new HostPlanInfo { Changes = changes, Applied = true };
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>At start: puts back what the store says was applied (bridges deleted by hand or gone with a reboot).</summary>
    public async Task ReapplyAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var stored = await store.ListAsync(cancellationToken).ConfigureAwait(false);
            var present = stored.Select(b => b with { Interfaces = [.. b.Interfaces.Where(HostLinks.Exists)] }).ToList();
            foreach (var (bridge, nic) in stored.SelectMany(b => b.Interfaces.Where(n => !HostLinks.Exists(n)).Select(n => (b.Name, n))))
            {
                LogInterfaceMissing(logger, nic, bridge);
            }

            var plan = await planner.PlanAsync(present, record: false, cancellationToken).ConfigureAwait(false);
            if (plan.Steps.Count > 0)
            {
                await RunAsync(plan, cancellationToken).ConfigureAwait(false);
                LogReapplied(logger, string.Join("; ", plan.Steps.Select(s => s.Description)));
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<HostNetworkInfo> ShowAsync(CancellationToken cancellationToken)
    {
        var stored = await store.ListAsync(cancellationToken).ConfigureAwait(false);
        return new HostNetworkInfo
        {
            Bridges = [.. stored.Select(b => new HostBridgeInfo
            {
                Name = b.Name,
                Interfaces = b.Interfaces,
                Ipv4 = b.Ipv4,
                Ipv6 = b.Ipv6,
                Nat = b.Nat,
                Network = b.Network,
                Present = HostLinks.IsBridge(b.Name),
            })],
        };
    }

    private async Task RunAsync(HostPlan plan, CancellationToken cancellationToken)
    {
        await using var reverter = new Reverter(logger);

        // Runs last when undoing: the table is rendered again from the store and networks as they were put back.
        reverter.Add("apply the firewall as it was", () => firewall.ApplyAsync(CancellationToken.None));
        foreach (var step in plan.Steps)
        {
            try
            {
                await step.Apply(cancellationToken).ConfigureAwait(false);
            }
            catch (Processes.CommandFailedException ex)
            {
                throw Errors.DomainError.Conflict("Host network apply failed", $"'{step.Description}' failed ({ex.Message}); every change made before it was undone.");
            }
            if (step.Undo is { } undo)
            {
                reverter.Add(step.Description, undo);
            }
        }

        reverter.Success();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Host network re-applied: {Changes}")]
    private static partial void LogReapplied(ILogger logger, string changes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Interface {Interface} of host bridge {Bridge} is missing; the bridge is applied without it")]
    private static partial void LogInterfaceMissing(ILogger logger, string @interface, string bridge);
}
