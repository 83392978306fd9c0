using Berth.Daemon.Runtime;

namespace Berth.Daemon.Storage;

/// <summary>Mounts a container's root filesystem before it starts, on pools that need mounts (after a host boot too).</summary>
public sealed class StorageStartHook(StoragePools pools) : IContainerStartHook
{
    public async Task BeforeStartAsync(string container, CancellationToken cancellationToken)
    {
        var pool = await pools.PoolOfAsync(container, cancellationToken).ConfigureAwait(false);
        await pools.DriverOf(pool).PrepareAsync(pool, container, cancellationToken).ConfigureAwait(false);
    }
}
