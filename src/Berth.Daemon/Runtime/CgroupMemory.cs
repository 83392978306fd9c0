using System.Globalization;
using Berth.Daemon.Containers;

namespace Berth.Daemon.Runtime;

/// <summary>
/// A running container's memory usage read straight from its cgroup file, found through its init's /proc/PID/cgroup:
/// no round trip to the container's monitor socket as liblxc's get_cgroup_item makes, so a list of hundreds stays cheap.
/// </summary>
public static class CgroupMemory
{
    private const string PayloadPrefix = "lxc.payload.";

    /// <summary>Bytes in use by the container's cgroup, or null when the container stopped while we read.</summary>
    public static long? Read(CgroupVersion version, int pid)
    {
        try
        {
            var path = ContainerCgroup(version, File.ReadLines($"/proc/{pid}/cgroup"));
            if (path is null)
            {
                return null;
            }

            var file = version == CgroupVersion.V1 ? $"/sys/fs/cgroup/memory{path}/memory.usage_in_bytes" : $"/sys/fs/cgroup{path}/memory.current";
            return long.TryParse(File.ReadAllText(file).AsSpan().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) ? bytes : null;
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

    /// <summary>
    /// The memory cgroup of the container from its init's cgroup lines; cut after LXC's payload directory, since an
    /// init such as systemd moves itself into a child (init.scope) whose usage is only part of the container's.
    /// </summary>
    public static string? ContainerCgroup(CgroupVersion version, IEnumerable<string> procCgroupLines)
    {
        foreach (var line in procCgroupLines)
        {
            var parts = line.Split(':', 3);
            if (parts.Length != 3 || !(version == CgroupVersion.V1 ? parts[1].Split(',').Contains("memory") : parts[0] == "0" && parts[1].Length == 0))
            {
                continue;
            }

            var path = parts[2];
            if (!path.StartsWith('/') || path.Split('/').Contains(".."))
            {
                return null;
            }

            var payload = path.IndexOf("/" + PayloadPrefix, StringComparison.Ordinal);
            if (payload >= 0)
            {
                var end = path.IndexOf('/', payload + 1);
                return end < 0 ? path : path[..end];
            }

            return path;
        }

        return null;
    }
}
