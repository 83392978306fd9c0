using System.Collections.Concurrent;
using Berth.Daemon.Api;
using Berth.Daemon.Containers;
using Berth.Daemon.Hosting;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Storage;

/// <summary>
/// Finds pools, their drivers and which pool each container is in. The default pool is not stored: it is the state
/// directory itself, with the dir driver. Placements are cached so the LXC configuration can be rendered without a query.
/// </summary>
public sealed class StoragePools(StorageStore store, StatePaths paths, IEnumerable<IStorageDriver> drivers)
{
    private readonly Dictionary<string, IStorageDriver> _drivers = drivers.ToDictionary(d => d.Name, StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StoragePool> _pools = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _placements = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _loaded = new(1, 1);
    private volatile bool _isLoaded;

    public StoragePool Default { get; } = new()
    {
        Name = StoragePool.DefaultName,
        Driver = "dir",
        Path = paths.Root,
        CreatedAt = DateTimeOffset.UnixEpoch,
    };

    public IReadOnlyCollection<string> DriverNames => _drivers.Keys;

    public async Task<IReadOnlyList<StoragePool>> ListAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken).ConfigureAwait(false);
        return [Default, .. _pools.Values.OrderBy(p => p.Name, StringComparer.Ordinal)];
    }

    /// <summary>Removes, in every pool, the copies of images that are not in <paramref name="keep"/> and that nothing stands on.</summary>
    public async Task PruneImagesAsync(IReadOnlySet<string> keep, CancellationToken cancellationToken)
    {
        foreach (var pool in await ListAsync(cancellationToken).ConfigureAwait(false))
        {
            await DriverOf(pool).PruneImagesAsync(pool, keep, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<StoragePool?> FindAsync(string name, CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken).ConfigureAwait(false);
        return name == StoragePool.DefaultName ? Default : _pools.GetValueOrDefault(name);
    }

    public async Task<StoragePool> RequireAsync(string name, CancellationToken cancellationToken) =>
        await FindAsync(name, cancellationToken).ConfigureAwait(false)
        ?? throw DomainError.NotFound("Storage pool not found", $"there is no storage pool '{name}'; GET /api/v1/storage-pools lists them.");

    public IStorageDriver DriverOf(StoragePool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return _drivers.TryGetValue(pool.Driver, out var driver)
            ? driver
            : throw new InvalidOperationException($"pool {pool.Name} uses unknown driver {pool.Driver}");
    }

    public bool IsKnownDriver(string name) => _drivers.ContainsKey(name);

    public async Task<StoragePool> PoolOfAsync(string container, CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken).ConfigureAwait(false);
        return PoolOf(container);
    }

    /// <summary>Where a container's root filesystem is. Needs <see cref="LoadAsync"/> to have run (the daemon does it at start).</summary>
    public string RootfsPath(string container)
    {
        var pool = PoolOf(container);
        return DriverOf(pool).RootfsPath(pool, container);
    }

    public async Task AddPoolAsync(StoragePool pool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        await LoadAsync(cancellationToken).ConfigureAwait(false);
        if (!await store.TryInsertPoolAsync(pool, cancellationToken).ConfigureAwait(false))
        {
            throw DomainError.Conflict("Pool exists", $"a storage pool named '{pool.Name}' already exists.");
        }

        _pools[pool.Name] = pool;
    }

    public async Task RemovePoolAsync(string name, CancellationToken cancellationToken)
    {
        await store.DeletePoolAsync(name, cancellationToken).ConfigureAwait(false);
        _pools.TryRemove(name, out _);
    }

    /// <summary>Records that a container lives in <paramref name="pool"/> (the default pool needs no record).</summary>
    public async Task PlaceAsync(string container, string pool, CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken).ConfigureAwait(false);
        if (pool == StoragePool.DefaultName)
        {
            await ForgetAsync(container, cancellationToken).ConfigureAwait(false);
            return;
        }

        await store.SetPoolOfAsync(container, pool, cancellationToken).ConfigureAwait(false);
        _placements[container] = pool;
    }

    /// <summary>Follows a rename the store has already made (container_storage is renamed with the container's row).</summary>
    public void Renamed(string container, string newName)
    {
        if (_placements.TryRemove(container, out var pool))
        {
            _placements[newName] = pool;
        }
    }

    public async Task ForgetAsync(string container, CancellationToken cancellationToken)
    {
        await store.ForgetContainerAsync(container, cancellationToken).ConfigureAwait(false);
        _placements.TryRemove(container, out _);
    }

    public async Task<IReadOnlyDictionary<string, string>> PlacementsAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken).ConfigureAwait(false);
        return new Dictionary<string, string>(_placements, StringComparer.Ordinal);
    }

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (_isLoaded)
        {
            return;
        }

        await _loaded.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_isLoaded)
            {
                foreach (var pool in await store.ListPoolsAsync(cancellationToken).ConfigureAwait(false))
                {
                    _pools[pool.Name] = pool;
                }

                foreach (var (container, pool) in await store.PlacementsAsync(cancellationToken).ConfigureAwait(false))
                {
                    _placements[container] = pool;
                }

                _isLoaded = true;
            }
        }
        finally
        {
            _loaded.Release();
        }
    }

    /// <summary>
    /// Loads the pools and makes each ready (after a host boot, loop-backed pools are not mounted). A pool that cannot
    /// be made ready is reported and skipped, so the others still serve.
    /// </summary>
    public async Task InitialiseAllAsync(Action<string, string> onUnavailable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onUnavailable);
        foreach (var pool in await ListAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await DriverOf(pool).InitialiseAsync(pool, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is Processes.CommandFailedException or DomainError or IOException)
            {
                onUnavailable(pool.Name, ex.Message);
            }
        }
    }

    /// <summary>The pool a container is in (from the cache <see cref="LoadAsync"/> fills at start).</summary>
    public StoragePool PoolOf(string container) =>
        _placements.TryGetValue(container, out var name) && _pools.TryGetValue(name, out var pool) ? pool : Default;

    /// <summary>limits.disk needs a pool that can enforce it; elsewhere it is refused rather than silently ignored (launch, config, copy and import alike).</summary>
    public void RequireQuotaSupport(StoragePool pool, IReadOnlyDictionary<string, string> config)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(config);
        if (config.TryGetValue(ContainerConfig.LimitsDisk, out var limit) && !DriverOf(pool).SupportsQuotas)
        {
            throw DomainError.Invalid("Disk limit not supported", $"limits.disk={limit} needs a pool that enforces quotas (btrfs); '{pool.Name}' uses {pool.Driver}. Choose a btrfs pool.");
        }
    }
}
