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

    private CgroupFiles(CgroupVersion version, Dictionary<string, string> dirs)
    {
        _version = version;
        _dirs = dirs;
    }

    /// <summary>The directories of the container whose init is <paramref name="pid"/>, or null when it stopped while we read.</summary>
    public static CgroupFiles? Of(CgroupVersion version, int pid)
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
            return ReadLong(File("cpuacct", "cpuacct.usage")) / 1e9;
        }

        var line = ReadText(File("cpu", "cpu.stat"))?.Split('\n').FirstOrDefault(l => l.StartsWith("usage_usec ", StringComparison.Ordinal));
        return Number(line?["usage_usec ".Length..]) / 1e6;
    }

    public long? MemoryBytes() => ReadLong(File("memory", _version == CgroupVersion.V1 ? "memory.usage_in_bytes" : "memory.current"));

    /// <summary>Swap in use: v2 counts it apart; v1 only as memory+swap (when the host accounts swap), less memory.</summary>
    public long? SwapBytes()
    {
        if (_version == CgroupVersion.V2)
        {
            return ReadLong(File("memory", "memory.swap.current"));
        }

        var both = ReadLong(File("memory", "memory.memsw.usage_in_bytes"));
        return both is null || MemoryBytes() is not { } memory ? null : Math.Max(0, both.Value - memory);
    }

    /// <summary>The memory limit, or null when there is none.</summary>
    public long? MemoryLimitBytes()
    {
        var limit = ReadLong(File("memory", _version == CgroupVersion.V1 ? "memory.limit_in_bytes" : "memory.max"));
        return limit is >= UnlimitedV1 ? null : limit;
    }

    /// <summary>How many CPUs the container may use: its cpuset, or its CFS quota when that is lower.</summary>
    public double? CpuLimitCores()
    {
        var cpus = CpuCount(ReadText(File("cpuset", _version == CgroupVersion.V1 ? "cpuset.cpus" : "cpuset.cpus.effective")));
        double? quota = null;
        if (_version == CgroupVersion.V1)
        {
            var q = ReadLong(File("cpu", "cpu.cfs_quota_us"));
            var p = ReadLong(File("cpu", "cpu.cfs_period_us"));
            quota = q is > 0 && p is > 0 ? (double)q.Value / p.Value : null;
        }
        else if (ReadText(File("cpu", "cpu.max"))?.Trim().Split(' ') is [var max, var period] && Number(max) is { } q && Number(period) is > 0 and var p)
        {
            quota = (double)q / p;
        }

        return quota is not null && (cpus is null || quota < cpus) ? quota : cpus;
    }

    public long? ProcessCount() => ReadLong(File("pids", "pids.current"));

    /// <summary>The process limit, or null when it is "max".</summary>
    public long? ProcessLimit() => ReadLong(File("pids", "pids.max"));

    /// <summary>"0-3,6" as 5.</summary>
    public static int? CpuCount(string? cpuset)
    {
        if (cpuset is null || cpuset.Trim().Length == 0)
        {
            return null;
        }

        var count = 0;
        foreach (var part in cpuset.Trim().Split(','))
        {
            var range = part.Split('-');
            if (range.Length == 1 && Number(range[0]) is not null)
            {
                count++;
            }
            else if (range.Length == 2 && Number(range[0]) is { } first && Number(range[1]) is { } last && last >= first)
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

    /// <summary>A file holding one number; null when it is missing, unreadable or says "max".</summary>
    public static long? ReadLong(string? file) => Number(ReadText(file));

    private static long? Number(string? text) =>
        long.TryParse(text.AsSpan().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static string? ReadText(string? file)
    {
        if (file is null)
        {
            return null;
        }

        try
        {
            return System.IO.File.ReadAllText(file);
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
}
