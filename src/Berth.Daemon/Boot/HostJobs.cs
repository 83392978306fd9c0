using Berth.Contracts;
using Berth.Daemon.Containers;
using Berth.Daemon.Events;
using Berth.Daemon.Hosting;
using Berth.Daemon.Jobs;
using Berth.Daemon.Runtime;
using Berth.Daemon.Store;
using Microsoft.Extensions.Options;

namespace Berth.Daemon.Boot;

/// <summary>
/// host.autostart starts the autostart containers by boot.autostart.order, waiting boot.autostart.delay after each;
/// host.shutdown stops every running container, autostart ones last in reverse order.
/// </summary>
public sealed partial class HostJobs(
    ContainerStore containers,
    LxcRuntime runtime,
    EventBroker events,
    TimeProvider time,
    IOptions<BerthOptions> options,
    ILogger<HostJobs> logger) : IJobHandler
{
    public IReadOnlyCollection<string> Kinds { get; } = [JobKinds.HostAutostart, JobKinds.HostShutdown];

    public Task RunAsync(JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Job.Kind == JobKinds.HostAutostart ? AutostartAsync(context) : ShutdownAsync(context);
    }

    public Task<JobRecovery> RecoverAsync(JobRecord job, CancellationToken cancellationToken) =>
        Task.FromResult(new JobRecovery(false, "containers are in the state the interruption left them in; GET /api/v1/containers shows it"));

    private async Task AutostartAsync(JobContext context)
    {
        var failures = new List<string>();
        foreach (var container in BootOrder.Autostart(await containers.ListAsync(context.CancellationToken).ConfigureAwait(false)))
        {
            if (runtime.GetStatus(container.Name) != ContainerStatus.Stopped)
            {
                continue;
            }

            context.Report($"starting {container.Name}");
            try
            {
                await runtime.StartAsync(container.Name, context.CancellationToken).ConfigureAwait(false);
                events.Lifecycle("container.started", container.Name, context.Job.Id, "autostart");
            }
            catch (Native.LxcException ex)
            {
                LogAutostartFailed(logger, container.Name, ex.Message);
                failures.Add(ex.Message);
                continue;
            }

            var delay = ContainerConfig.IntOrDefault(container.Config, ContainerConfig.BootAutostartDelay);
            if (delay > 0)
            {
                context.Report($"waiting {delay}s after {container.Name}");
                await Task.Delay(TimeSpan.FromSeconds(delay), time, context.CancellationToken).ConfigureAwait(false);
            }
        }

        if (failures.Count > 0)
        {
            throw new InvalidOperationException(string.Join("; ", failures));
        }
    }

    private async Task ShutdownAsync(JobContext context)
    {
        var all = await containers.ListAsync(context.CancellationToken).ConfigureAwait(false);
        var autostart = BootOrder.Autostart(all);
        var ordered = all.Where(c => c.Status == ContainerRecordStatus.Ready).Except(autostart).Concat(autostart.Reverse());
        foreach (var container in ordered)
        {
            if (runtime.GetStatus(container.Name) is ContainerStatus.Stopped or ContainerStatus.Missing or ContainerStatus.Error)
            {
                continue;
            }

            context.Report($"stopping {container.Name}");
            await runtime.StopAsync(container.Name, force: false, options.Value.StopTimeoutSeconds, context.CancellationToken).ConfigureAwait(false);
            events.Lifecycle("container.stopped", container.Name, context.Job.Id, "host shutdown");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Autostart of {Name} failed: {Error}")]
    private static partial void LogAutostartFailed(ILogger logger, string name, string error);
}
