namespace Berth.Daemon.Backups;

/// <summary>Clears the stale repository locks a killed restic left, once at start, before any backup job has a turn.</summary>
public sealed partial class StaleLockSweep(BackupRunner runner, IHostApplicationLifetime lifetime, ILogger<StaleLockSweep> logger) : BackgroundService
{
    // Waits until every hosted service has started: on a first start the store has no tables before its migrations.
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var onStopping = stoppingToken.Register(() => started.TrySetCanceled(stoppingToken));
        try
        {
            await started.Task.ConfigureAwait(false);
            await runner.UnlockAllAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // A failed sweep is retried before the next run that meets a lock.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogFailed(logger, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The start-up sweep of stale backup locks failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
