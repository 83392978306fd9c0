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

    private static readonly string[] NicNames = [.. Enumerable.Range(0, 16).Select(n => $"eth{n.ToString(CultureInfo.InvariantCulture)}")];

    private static readonly Dictionary<ContainerStatus, string> StateNames = Enum.GetValues<ContainerStatus>().ToDictionary(s => s, s => s.ToString().ToLowerInvariant());

    private readonly SemaphoreSlim _gate = new(1, 1);
    private MetricsReading? _cached;

    // What a reading finds the same each time, per container (touched only under the gate): its cgroup files while
    // its init's cgroup lines stay the same, and its veths' counter files (the names hash its directory).
    private readonly Dictionary<string, CgroupFiles> _cgroupFiles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<VethStatistics>> _veths = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

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
            _read.Clear();
            foreach (var record in records)
            {
                if (record.Status == ContainerRecordStatus.Ready)
                {
                    _read.Add(record.Name);
                    readings.Add(Read(record.Name, record.Owner ?? "", placements.TryGetValue(record.Name, out var pool) ? pool : StoragePool.DefaultName));
                }
            }

            Forget(_cgroupFiles);
            Forget(_veths);
            _cached = new MetricsReading(time.GetUtcNow(), readings, await ReadHostAsync(cancellationToken).ConfigureAwait(false));
            return _cached;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Where <paramref name="name"/>'s root filesystem is, for <see cref="DiskUsage.Refresh"/>.</summary>
    public string RootfsPath(string name) => pools.RootfsPath(name);

    private ContainerReading Read(string name, string owner, string pool)
    {
        var (status, pid) = runtime.StatusAndPid(name);
        var state = StateNames[status];
        var watched = health.Of(name);
        double? healthy = watched.Health switch { ContainerHealth.Healthy => 1, ContainerHealth.Unhealthy => 0, _ => null };
        var files = pid is { } p && status is ContainerStatus.Running or ContainerStatus.Frozen ? CgroupFiles.Of(cgroups.Version, p, _cgroupFiles.GetValueOrDefault(name)) : null;
        if (files is null)
        {
            _cgroupFiles.Remove(name);
            return new ContainerReading { Name = name, Owner = owner, State = state, DiskBytes = disk.Last(name), Pool = pool, Healthy = healthy, Restarts = watched.Restarts };
        }

        _cgroupFiles[name] = files;
        var interfaces = new List<InterfaceCounters>(1);
        for (var nic = 0; nic < NicNames.Length && InterfaceCounters.Read(NicNames[nic], Veth(name, nic)) is { } counters; nic++)
        {
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
            Healthy = healthy,
            Restarts = watched.Restarts,
        };
    }

    private VethStatistics Veth(string name, int nic)
    {
        if (!_veths.TryGetValue(name, out var veths))
        {
            _veths[name] = veths = [];
        }

        while (veths.Count <= nic)
        {
            veths.Add(new VethStatistics(Networking.VethName.For(paths.ContainerDir(name), veths.Count)));
        }

        return veths[nic];
    }

    /// <summary>Drops what is kept for containers this reading did not read (deleted, or not ready).</summary>
    private void Forget<T>(Dictionary<string, T> kept)
    {
        foreach (var name in kept.Keys)
        {
            if (!_read.Contains(name))
            {
                kept.Remove(name);
            }
        }
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
