using System.Data.Common;
using System.Globalization;
using Berth.Contracts;
using Berth.Daemon.Containers;
using Berth.Daemon.Hosting;
using Berth.Daemon.Runtime;
using Berth.Daemon.Storage;
using Berth.Daemon.Store;

namespace Berth.Daemon.Metrics;

/// <summary>
/// Reads every container's cgroup and veth counters and the host's tables, with no process spawned; the answer is
/// kept for <see cref="CacheFor"/> so scrapers hitting it together cost one read (Incus keeps its own for 8 s).
/// </summary>
public sealed class MetricsCollector(
    ContainerStore containers,
    LxcRuntime runtime,
    HostCgroups cgroups,
    StatePaths paths,
    StoragePools pools,
    Database database,
    DiskUsage disk,
    TimeProvider time,
    Health.HealthStates health)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private MetricsReading? _cached;

    /// <summary>The latest reading, at most <see cref="CacheFor"/> old unless <paramref name="fresh"/>.</summary>
    public async Task<MetricsReading> ReadAsync(bool fresh, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!fresh && _cached is { } cached && time.GetUtcNow() - cached.At < CacheFor)
            {
                return cached;
            }

            var records = await containers.ListAsync(cancellationToken).ConfigureAwait(false);
            var placements = await pools.PlacementsAsync(cancellationToken).ConfigureAwait(false);
            var readings = new List<ContainerReading>(records.Count);
            foreach (var record in records.Where(r => r.Status == ContainerRecordStatus.Ready))
            {
                var state = health.Of(record.Name);
                readings.Add(Read(record.Name, record.Owner ?? "", placements.TryGetValue(record.Name, out var pool) ? pool : StoragePool.DefaultName) with
                {
                    Healthy = state.Health switch { ContainerHealth.Healthy => 1, ContainerHealth.Unhealthy => 0, _ => null },
                    Restarts = state.Restarts,
                });
            }

            _cached = new MetricsReading(time.GetUtcNow(), readings, await ReadHostAsync(cancellationToken).ConfigureAwait(false));
            return _cached;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Root filesystems for <see cref="DiskUsage.Refresh"/>.</summary>
    public IEnumerable<(string Name, string Rootfs)> Rootfs(IEnumerable<string> names) => names.Select(n => (n, pools.RootfsPath(n)));

    private ContainerReading Read(string name, string owner, string pool)
    {
        var (status, pid) = runtime.StatusAndPid(name);
        var state = status.ToString().ToLowerInvariant();
        var files = pid is { } p && status is ContainerStatus.Running or ContainerStatus.Frozen ? CgroupFiles.Of(cgroups.Version, p) : null;
        if (files is null)
        {
            return new ContainerReading { Name = name, Owner = owner, State = state, DiskBytes = disk.Last(name), Pool = pool };
        }

        var interfaces = new List<InterfaceCounters>();
        for (var nic = 0; nic < 16; nic++)
        {
            if (InterfaceCounters.Read($"eth{nic.ToString(CultureInfo.InvariantCulture)}", Networking.VethName.For(paths.ContainerDir(name), nic)) is not { } counters)
            {
                break;
            }

            interfaces.Add(counters);
        }

        return new ContainerReading
        {
            Name = name,
            Owner = owner,
            State = state,
            CpuSeconds = files.CpuSeconds(),
            MemoryBytes = files.MemoryBytes(),
            SwapBytes = files.SwapBytes(),
            MemoryLimitBytes = files.MemoryLimitBytes(),
            CpuLimitCores = files.CpuLimitCores(),
            Processes = files.ProcessCount(),
            ProcessLimit = files.ProcessLimit(),
            Interfaces = interfaces,
            DiskBytes = disk.Last(name),
            Pool = pool,
        };
    }

    private async Task<HostReading> ReadHostAsync(CancellationToken cancellationToken)
    {
        var poolSizes = new List<(string, long, long)>();
        foreach (var pool in await pools.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            var path = pool.Name == StoragePool.DefaultName ? paths.LxcPath : pool.Path;
            if (PoolDisk.Read(path) is { } disk)
            {
                poolSizes.Add((pool.Name, disk.TotalBytes, disk.UsedBytes));
            }
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var jobs = await CountByAsync(connection, "SELECT status, COUNT(*) FROM jobs GROUP BY status", cancellationToken).ConfigureAwait(false);
        var routes = (await CountByAsync(connection, "SELECT 'all', COUNT(*) FROM proxy_routes", cancellationToken).ConfigureAwait(false)).GetValueOrDefault("all");
        var certificates = new List<(string, double)>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name, not_after FROM proxy_certificates ORDER BY name";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (DateTimeOffset.TryParse(reader.GetString(1), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var notAfter))
                {
                    certificates.Add((reader.GetString(0), (notAfter - time.GetUtcNow()).TotalDays));
                }
            }
        }

        // Backups may not exist in this schema yet: count them only when the table is there.
        Dictionary<string, long>? backups = null;
        if ((await CountByAsync(connection, "SELECT 'n', COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'backups'", cancellationToken).ConfigureAwait(false)).GetValueOrDefault("n") > 0)
        {
            backups = await CountByAsync(connection, "SELECT status, COUNT(*) FROM backups GROUP BY status", cancellationToken).ConfigureAwait(false);
        }

        var marks = new List<(string, string, bool, double?)>();
        if ((await CountByAsync(connection, "SELECT 'n', COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'backup_marks'", cancellationToken).ConfigureAwait(false)).GetValueOrDefault("n") > 0)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT kind, subject, ok, last_success FROM backup_marks ORDER BY kind, subject";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                double? lastSuccess = !reader.IsDBNull(3) && DateTimeOffset.TryParse(reader.GetString(3), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at.ToUnixTimeMilliseconds() / 1000.0 : null;
                marks.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2) != 0, lastSuccess));
            }
        }

        return new HostReading { Pools = poolSizes, JobsByStatus = jobs, ProxyRoutes = routes, Certificates = certificates, BackupsByStatus = backups, BackupMarks = marks };
    }

    private static async Task<Dictionary<string, long>> CountByAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                result[reader.IsDBNull(0) ? "" : reader.GetValue(0).ToString() ?? ""] = reader.GetInt64(1);
            }
        }
        catch (DbException)
        {
            // A table whose columns differ from what is expected (a feature still being built): counted as empty.
        }

        return result;
    }
}
