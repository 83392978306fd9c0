using System.Collections.Concurrent;
using Berth.Contracts;
using Berth.Daemon.Containers;
using Berth.Daemon.Events;
using Berth.Daemon.Hosting;
using Berth.Daemon.Jobs;
using Berth.Daemon.Runtime;
using Berth.Daemon.Store;
using Microsoft.Extensions.Options;

namespace Berth.Daemon.Reconcile;

/// <summary>
/// Compares the store with what LXC shows, at start and then periodically: reports containers that changed state
/// outside Berth, that vanished (never resurrected) or that appeared unmanaged (left alone), and rewrites LXC
/// configuration files that drifted from the store.
/// </summary>
public sealed partial class Reconciler(
    ContainerStore containers,
    LxcRuntime runtime,
    LxcConfigRenderer renderer,
    EventBroker events,
    JobQueue jobs,
    TimeProvider time,
    IOptions<BerthOptions> options,
    ILogger<Reconciler> logger) : PeriodicService(time, logger)
{
    private readonly ConcurrentDictionary<string, ContainerStatus> _seen = new(StringComparer.Ordinal);

    protected override TimeSpan Interval => options.Value.ReconcileInterval;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _ = FollowBerthsOwnChangesAsync(stoppingToken);
        return base.ExecuteAsync(stoppingToken);
    }

    public override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var records = await containers.ListAsync(cancellationToken).ConfigureAwait(false);
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            known.Add(record.Name);
            if (record.Status != ContainerRecordStatus.Ready || jobs.IsBusy(record.Name))
            {
                continue;
            }

            // One container that cannot be rendered or loaded must not stop the pass for the others.
            try
            {
                var status = runtime.GetStatus(record.Name);
                if (status != ContainerStatus.Missing && renderer.Write(record))
                {
                    runtime.Forget(record.Name);
                    status = runtime.GetStatus(record.Name);
                    events.Lifecycle("container.config-repaired", record.Name, message: "the LXC configuration differed from the store and was rewritten");
                }

                Observe(record.Name, status, managed: true);
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException or Native.LxcException)
            {
                LogUnreconciled(logger, record.Name, ex);
            }
        }

        foreach (var name in runtime.ListDefined().Where(n => !known.Contains(n)))
        {
            Observe(name, runtime.GetStatus(name), managed: false);
        }

        foreach (var gone in _seen.Keys.Where(n => !known.Contains(n) && !runtime.IsDefined(n)))
        {
            _seen.TryRemove(gone, out _);
        }
    }

    /// <summary>What Berth itself did is expected, so only changes made outside Berth are reported as such.</summary>
    private async Task FollowBerthsOwnChangesAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var evt in events.SubscribeAsync(null, cancellationToken).ConfigureAwait(false))
            {
                ContainerStatus? expected = evt.Action switch
                {
                    "container.created" or "container.stopped" => ContainerStatus.Stopped,
                    "container.started" or "container.unfrozen" => ContainerStatus.Running,
                    "container.frozen" => ContainerStatus.Frozen,
                    _ => null,
                };
                if (expected is { } status)
                {
                    _seen[evt.Target] = status;
                }
                else if (evt.Action == "container.deleted")
                {
                    _seen.TryRemove(evt.Target, out _);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Observe(string name, ContainerStatus status, bool managed)
    {
        var previous = _seen.TryGetValue(name, out var p) ? p : (ContainerStatus?)null;
        _seen[name] = status;
        if (previous == status)
        {
            return;
        }

        if (!managed && previous is null)
        {
            LogUnmanaged(logger, name);
            events.Lifecycle("container.unmanaged", name, message: "found in Berth's lxcpath but not created by Berth; listed, left alone");
        }
        else if (status == ContainerStatus.Missing)
        {
            LogMissing(logger, name);
            events.Lifecycle("container.missing", name, message: "in the store but gone from LXC (deleted outside Berth); not recreated");
        }
        else if (previous is not null)
        {
            events.Lifecycle("container.state-changed", name, message: $"{previous.Value.ToString().ToLowerInvariant()} -> {status.ToString().ToLowerInvariant()}");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Container {Name} is in the store but gone from LXC")]
    private static partial void LogMissing(ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Container {Name} could not be reconciled; the others were")]
    private static partial void LogUnreconciled(ILogger logger, string name, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Container {Name} in the lxcpath is not managed by Berth; leaving it alone")]
    private static partial void LogUnmanaged(ILogger logger, string name);

}
