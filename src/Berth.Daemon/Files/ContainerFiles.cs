using Berth.Daemon.Containers;
using Berth.Daemon.Native;
using Berth.Daemon.Storage;
using Berth.Daemon.Store;

namespace Berth.Daemon.Files;

/// <summary>
/// Opens a container's files for the files API, running or stopped, on any pool: the root filesystem is made ready
/// (mounted, for overlay) and opened as a directory descriptor that every path is then resolved under.
/// </summary>
public sealed class ContainerFiles(ContainerStore containers, StoragePools pools, HostIdMap hostIdMap)
{
    public async Task<ContainerTree> OpenAsync(string name, CancellationToken cancellationToken)
    {
        var record = ContainerName.IsValid(name) ? await containers.GetAsync(name, cancellationToken).ConfigureAwait(false) : null;
        if (record is null)
        {
            throw ContainerName.NotFound(name);
        }

        var pool = await pools.PoolOfAsync(name, cancellationToken).ConfigureAwait(false);
        var driver = pools.DriverOf(pool);
        await driver.PrepareAsync(pool, name, cancellationToken).ConfigureAwait(false);
        var uidBase = driver.HostRootShift(pool, name);

        // The stored group ids are shifted by the group map as far as the user ids are by the user map.
        var gidBase = uidBase is { } u && hostIdMap.Map is { } map ? u - map.UidBase + map.GidBase : uidBase;
        return new ContainerTree(name, TreeRoot.Open(driver.RootfsPath(pool, name)), new IdShift(uidBase, gidBase, record.Privileged));
    }
}
