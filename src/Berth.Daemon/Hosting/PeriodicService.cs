namespace Berth.Daemon.Hosting;

/// <summary>
/// A background pass that runs at start and then every <see cref="Interval"/>; a failed pass is logged and the next
/// one tries again, so one bad moment never stops reconciliation for good.
/// </summary>
public abstract partial class PeriodicService(TimeProvider time, ILogger logger) : BackgroundService
{
    protected TimeProvider Time { get; } = time;

    protected abstract TimeSpan Interval { get; }

    /// <summary>Whether to run a pass right at start, before the first interval has passed.</summary>
    protected virtual bool RunAtStart => true;

    public abstract Task RunOnceAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, Time);
        var first = RunAtStart;
        while (first || await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            first = false;
            try
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // One failed pass is logged; the next one tries again.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogPassFailed(logger, GetType().Name, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Service} pass failed")]
    private static partial void LogPassFailed(ILogger logger, string service, Exception exception);
}
