using Berth.Daemon.Api;
using Berth.Daemon.Hosting;

namespace Berth.Daemon.Storage;

/// <summary>Finds pools and their drivers. The default pool is not stored: it is the state directory itself, with the dir driver.</summary>
public sealed class StoragePools(StorageStore store, StatePaths paths, IEnumerable<IStorageDriver> drivers)
{
    private readonly Dictionary<string, IStorageDriver> _drivers = drivers.ToDictionary(d => d.Name, StringComparer.Ordinal);

    public StoragePool Default { get; } = new()
    {
        Name = StoragePool.DefaultName,
        Driver = "dir",
        Path = paths.Root,
        CreatedAt = DateTimeOffset.UnixEpoch,
    };

    public IReadOnlyCollection<string> DriverNames => _drivers.Keys;

    public async Task<IReadOnlyList<StoragePool>> ListAsync(CancellationToken cancellationToken) =>
        [Default, .. await store.ListPoolsAsync(cancellationToken).ConfigureAwait(false)];

    public async Task<StoragePool?> FindAsync(string name, CancellationToken cancellationToken) =>
        (await ListAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(p => p.Name == name);

    public async Task<StoragePool> RequireAsync(string name, CancellationToken cancellationToken) =>
        await FindAsync(name, cancellationToken).ConfigureAwait(false)
        ?? throw BerthProblem.NotFound("Storage pool not found", $"there is no storage pool '{name}'; 'berth storage list' shows them.");

    public IStorageDriver DriverOf(StoragePool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return _drivers.TryGetValue(pool.Driver, out var driver)
            ? driver
            : throw new InvalidOperationException($"pool {pool.Name} uses unknown driver {pool.Driver}");
    }

    public bool IsKnownDriver(string name) => _drivers.ContainsKey(name);

    public async Task<StoragePool> PoolOfAsync(string container, CancellationToken cancellationToken) =>
        await RequireAsync(await store.PoolOfAsync(container, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>Where a container's root filesystem is (its pool's driver decides).</summary>
    public async Task<string> RootfsOfAsync(string container, CancellationToken cancellationToken)
    {
        var pool = await PoolOfAsync(container, cancellationToken).ConfigureAwait(false);
        return DriverOf(pool).RootfsPath(pool, container);
    }
}
