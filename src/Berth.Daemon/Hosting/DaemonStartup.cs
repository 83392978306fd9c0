using Berth.Contracts;
using Berth.Daemon.Containers;
using Berth.Daemon.Events;
using Berth.Daemon.Images;
using Berth.Daemon.Jobs;
using Berth.Daemon.Runtime;
using Berth.Daemon.Store;

namespace Berth.Daemon.Hosting;

/// <summary>
/// Brings the daemon up in order before it serves requests: state directory, schema, recovery of interrupted jobs,
/// rows no job owns any more, and the autostart sequence when the host has booted since the last start.
/// </summary>
public sealed partial class DaemonStartup(
    StatePaths paths,
    Database database,
    JobQueue jobs,
    JobStore jobStore,
    ContainerStore containers,
    LxcRuntime runtime,
    ImageStore images,
    Storage.StoragePools pools,
    ImageRegistry registry,
    EventBroker events,
    ILogger<DaemonStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        paths.Ensure();
        await database.InitialiseAsync(cancellationToken).ConfigureAwait(false);
        await registry.LoadAsync(cancellationToken).ConfigureAwait(false);
        await pools.InitialiseAllAsync((pool, error) => LogPoolUnavailable(logger, pool, error), cancellationToken).ConfigureAwait(false);
        await jobs.RecoverAsync(cancellationToken).ConfigureAwait(false);
        await SweepOrphansAsync(cancellationToken).ConfigureAwait(false);
        await images.RemoveAbandonedBuildsAsync(cancellationToken).ConfigureAwait(false);

        var bootId = (await File.ReadAllTextAsync("/proc/sys/kernel/random/boot_id", cancellationToken).ConfigureAwait(false)).Trim();
        var lastBootId = File.Exists(paths.BootIdFile) ? (await File.ReadAllTextAsync(paths.BootIdFile, cancellationToken).ConfigureAwait(false)).Trim() : null;
        if (lastBootId != bootId)
        {
            await File.WriteAllTextAsync(paths.BootIdFile, bootId, cancellationToken).ConfigureAwait(false);
            if (lastBootId is not null)
            {
                LogHostBooted(logger);
                events.Publish("lifecycle", "host.booted", "host");
                await jobs.SubmitAsync(JobKinds.HostAutostart, "host", new { }, cancellationToken).ConfigureAwait(false);
            }
        }

        LogReady(logger, paths.Root, paths.Socket);
    }

    public Task StopAsync(CancellationToken cancellationToken) => jobs.DrainAsync().WaitAsync(cancellationToken);

    /// <summary>A row being created or deleted by a job that no longer runs (e.g. the daemon died between two writes).</summary>
    private async Task SweepOrphansAsync(CancellationToken cancellationToken)
    {
        foreach (var record in await containers.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (record.Status == ContainerRecordStatus.Ready)
            {
                continue;
            }

            var job = record.JobId is null ? null : await jobStore.GetAsync(record.JobId, cancellationToken).ConfigureAwait(false);
            if (job is { Status: JobStatus.Queued or JobStatus.Running })
            {
                continue;
            }

            if (runtime.IsDefined(record.Name) && runtime.GetStatus(record.Name) is not (ContainerStatus.Stopped or ContainerStatus.Error))
            {
                await runtime.StopAsync(record.Name, force: true, 0, cancellationToken).ConfigureAwait(false);
            }

            var pool = await pools.PoolOfAsync(record.Name, cancellationToken).ConfigureAwait(false);
            await pools.DriverOf(pool).DeleteAsync(pool, record.Name, cancellationToken).ConfigureAwait(false);
            await pools.ForgetAsync(record.Name, cancellationToken).ConfigureAwait(false);
            await ImageStore.RemoveTreeAsync(paths.ContainerDir(record.Name)).ConfigureAwait(false);
            await containers.DeleteAsync(record.Name, cancellationToken).ConfigureAwait(false);
            LogSwept(logger, record.Name, record.Status);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Storage pool {Pool} is unavailable: {Error}")]
    private static partial void LogPoolUnavailable(ILogger logger, string pool, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "berthd ready: state in {StateDir}, API on {Socket}")]
    private static partial void LogReady(ILogger logger, string stateDir, string socket);

    [LoggerMessage(Level = LogLevel.Information, Message = "The host booted since the last start; starting autostart containers")]
    private static partial void LogHostBooted(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removed {Name}, left {Status} by a job that no longer runs")]
    private static partial void LogSwept(ILogger logger, string name, string status);
}
