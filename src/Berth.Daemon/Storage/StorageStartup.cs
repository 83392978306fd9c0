namespace Berth.Daemon.Storage;

/// <summary>After a host reboot, loop-backed pools are not mounted: mount every pool before containers start from it.</summary>
public sealed partial class StorageStartup(StoragePools pools, ILogger<StorageStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var pool in await pools.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await pools.DriverOf(pool).InitialiseAsync(pool, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is Processes.CommandFailedException or Api.BerthProblem or IOException)
            {
                LogPoolUnavailable(logger, pool.Name, ex.Message);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Error, Message = "Storage pool {Pool} is unavailable: {Error}")]
    private static partial void LogPoolUnavailable(ILogger logger, string pool, string error);
}
