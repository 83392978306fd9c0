using System.Globalization;
using Berth.Daemon.Containers;

namespace Berth.Daemon.Metrics;

/// <summary>
/// A running container's cgroup directories, found through its init's /proc/PID/cgroup and cut after LXC's payload
/// directory (as <see cref="Runtime.CgroupMemory"/> does), and the few numbers metrics read from them.
/// </summary>
public sealed class CgroupFiles
{
    private const string PayloadPrefix = "/lxc.payload.";

    // Above this a v1 memory limit means "none" (the kernel reports PAGE_COUNTER_MAX pages).
    private const long UnlimitedV1 = 1L << 62;

    private readonly CgroupVersion _version;
    private readonly Dictionary<string, string> _dirs;

    // The files' paths, made once per container start rather than once per reading.
    private readonly string? _cpuUsage;
    private readonly string? _memory;
    private readonly string? _swap;
    private readonly string? _memoryLimit;
    private readonly string? _cpuset;
    private readonly string? _cpuQuota;
    private readonly string? _cpuPeriod;
    private readonly string? _processes;
    private readonly string? _processLimit;

    // The /proc/PID/cgroup bytes these were parsed from.
    private byte[] _source = [];

    private CgroupFiles(CgroupVersion version, Dictionary<string, string> dirs)
    {
        _version = version;
        _dirs = dirs;
        var v1 = version == CgroupVersion.V1;
        _cpuUsage = v1 ? File("cpuacct", "cpuacct.usage") : File("cpu", "cpu.stat");
        _memory = File("memory", v1 ? "memory.usage_in_bytes" : "memory.current");
        _swap = File("memory", v1 ? "memory.memsw.usage_in_bytes" : "memory.swap.current");
        _memoryLimit = File("memory", v1 ? "memory.limit_in_bytes" : "memory.max");
        _cpuset = File("cpuset", v1 ? "cpuset.cpus" : "cpuset.cpus.effective");
        _cpuQuota = File("cpu", v1 ? "cpu.cfs_quota_us" : "cpu.max");
        _cpuPeriod = v1 ? File("cpu", "cpu.cfs_period_us") : null;
        _processes = File("pids", "pids.current");
        _processLimit = File("pids", "pids.max");
    }

    /// <summary>The directories of the container whose init is <paramref name="pid"/>, or null when it stopped while we read.</summary>
    public static CgroupFiles? Of(CgroupVersion version, int pid) => Of(version, pid, null);

    /// <summary>
    /// As <see cref="Of(CgroupVersion, int)"/>, answering <paramref name="known"/> again while the process's cgroup lines
    /// are those it was made from: a reading then parses nothing and makes no path.
    /// </summary>
    public static CgroupFiles? Of(CgroupVersion version, int pid, CgroupFiles? known)
    {
        Span<byte> lines = stackalloc byte[4096];
        var length = KernelFile.Read($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cgroup", lines);
        if (length <= 0 || length == lines.Length)
        {
            // Gone, or more lines than a container's init has: read the long way, nothing kept.
            return length < 0 ? null : OfLines(version, pid);
        }

        var source = lines[..length];
        if (known is not null && source.SequenceEqual(known._source))
        {
            return known;
        }

        var files = Parse(version, System.Text.Encoding.UTF8.GetString(source).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        if (files is not null)
        {
            files._source = source.ToArray();
        }

        return files;
    }

    private static CgroupFiles? OfLines(CgroupVersion version, int pid)
    {
        try
        {
            return Parse(version, System.IO.File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cgroup"));
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Controller name to directory under /sys/fs/cgroup, from /proc/PID/cgroup lines ("" for the v2 tree).</summary>
    public static CgroupFiles? Parse(CgroupVersion version, IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var dirs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var parts = line.Split(':', 3);
            if (parts.Length != 3 || !parts[2].StartsWith('/') || parts[2].Split('/').Contains(".."))
            {
                continue;
            }

            var path = parts[2];
            var payload = path.IndexOf(PayloadPrefix, StringComparison.Ordinal);
            if (payload >= 0 && path.IndexOf('/', payload + 1) is var end and > 0)
            {
                path = path[..end];
            }

            if (version == CgroupVersion.V2 && parts[0] == "0" && parts[1].Length == 0)
            {
                dirs[""] = "/sys/fs/cgroup" + path;
            }
            else if (version == CgroupVersion.V1)
            {
                foreach (var controller in parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries))
                {
                    dirs[controller] = $"/sys/fs/cgroup/{controller}{path}";
                }
            }
        }

        return dirs.Count == 0 ? null : new CgroupFiles(version, dirs);
    }

    private string? File(string controller, string file) =>
        _dirs.TryGetValue(_version == CgroupVersion.V2 ? "" : controller, out var dir) ? Path.Combine(dir, file) : null;

    /// <summary>CPU time used since the container started.</summary>
    public double? CpuSeconds()
    {
        if (_version == CgroupVersion.V1)
        {
            return KernelFile.ReadLong(_cpuUsage) / 1e9;
        }

        if (_cpuUsage is null)
        {
            return null;
        }

        Span<byte> stat = stackalloc byte[1024];
        var length = KernelFile.Read(_cpuUsage, stat);
        return length > 0 ? UsageMicroseconds(stat[..length]) / 1e6 : null;
    }

    /// <summary>The usage_usec line of a v2 cpu.stat.</summary>
    private static long? UsageMicroseconds(ReadOnlySpan<byte> stat)
    {
        var key = "usage_usec "u8;
        while (stat.Length > 0)
        {
            var end = stat.IndexOf((byte)'\n');
            var line = end < 0 ? stat : stat[..end];
            if (line.StartsWith(key))
            {
                return KernelFile.Number(line[key.Length..]);
            }

            stat = end < 0 ? [] : stat[(end + 1)..];
        }

        return null;
    }

    public long? MemoryBytes() => KernelFile.ReadLong(_memory);

    /// <summary>Swap in use: v2 counts it apart; v1 only as memory+swap (when the host accounts swap), less memory.</summary>
    public long? SwapBytes()
    {
        if (_version == CgroupVersion.V2)
        {
            return KernelFile.ReadLong(_swap);
        }

        var both = KernelFile.ReadLong(_swap);
        return both is null || MemoryBytes() is not { } memory ? null : Math.Max(0, both.Value - memory);
    }

    /// <summary>The memory limit, or null when there is none.</summary>
    public long? MemoryLimitBytes()
    {
        var limit = KernelFile.ReadLong(_memoryLimit);
        return limit is >= UnlimitedV1 ? null : limit;
    }

    /// <summary>How many CPUs the container may use: its cpuset, or its CFS quota when that is lower.</summary>
    public double? CpuLimitCores()
    {
        Span<byte> text = stackalloc byte[256];
        Span<char> chars = stackalloc char[256];
        int? cpus = null;
        if (_cpuset is not null && KernelFile.Read(_cpuset, text) is > 0 and < 256 and var length)
        {
            cpus = CpuCount(chars[..System.Text.Encoding.ASCII.GetChars(text[..length], chars)]);
        }

        double? quota = null;
        if (_version == CgroupVersion.V1)
        {
            var q = KernelFile.ReadLong(_cpuQuota);
            var p = KernelFile.ReadLong(_cpuPeriod);
            quota = q is > 0 && p is > 0 ? (double)q.Value / p.Value : null;
        }
        else if (_cpuQuota is not null && KernelFile.Read(_cpuQuota, text) is > 0 and < 256 and var read)
        {
            // "max 100000" or "50000 100000".
            var max = text[..read].Trim(" \n"u8);
            var space = max.IndexOf((byte)' ');
            if (space > 0 && KernelFile.Number(max[..space]) is { } q && KernelFile.Number(max[(space + 1)..]) is > 0 and var p)
            {
                quota = (double)q / p;
            }
        }

        return quota is not null && (cpus is null || quota < cpus) ? quota : cpus;
    }

    public long? ProcessCount() => KernelFile.ReadLong(_processes);

    /// <summary>The process limit, or null when it is "max".</summary>
    public long? ProcessLimit() => KernelFile.ReadLong(_processLimit);

    /// <summary>"0-3,6" as 5.</summary>
    public static int? CpuCount(string? cpuset) => cpuset is null ? null : CpuCount(cpuset.AsSpan());

    public static int? CpuCount(ReadOnlySpan<char> cpuset)
    {
        cpuset = cpuset.Trim();
        if (cpuset.Length == 0)
        {
            return null;
        }

        var count = 0;
        foreach (var range in cpuset.Split(','))
        {
            var part = cpuset[range];
            var dash = part.IndexOf('-');
            if (dash < 0 && Number(part) is not null)
            {
                count++;
            }
            else if (dash > 0 && Number(part[..dash]) is { } first && Number(part[(dash + 1)..]) is { } last && last >= first)
            {
                count += (int)(last - first + 1);
            }
            else
            {
                return null;
            }
        }

        return count;
    }

    private static long? Number(ReadOnlySpan<char> text) =>
        long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
