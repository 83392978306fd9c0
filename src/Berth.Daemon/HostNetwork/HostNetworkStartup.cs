namespace Berth.Daemon.HostNetwork;

/// <summary>
/// Re-applies the stored host network once the daemon has started (the schema exists then): after a reboot, or when
/// a bridge was deleted by hand, the host gets back what the file declared.
/// </summary>
public sealed partial class HostNetworkStartup(HostApplier applier, IHostApplicationLifetime lifetime, ILogger<HostNetworkStartup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        try
        {
            await applier.ReapplyAsync(stoppingToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A host network that cannot be re-applied is logged; the daemon serves on.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            LogReapplyFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The host network could not be re-applied; every step of it was undone")]
    private static partial void LogReapplyFailed(ILogger logger, Exception exception);
}
