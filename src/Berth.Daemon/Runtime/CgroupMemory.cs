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
            var file = UsageFile(version, File.ReadLines($"/proc/{pid}/cgroup"));
            return file is null ? null : ReadFile(file);
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

    /// <summary>The file with the container's memory usage, from its init's cgroup lines; null when they name none.</summary>
    public static string? UsageFile(CgroupVersion version, IEnumerable<string> procCgroupLines) =>
        ContainerCgroup(version, procCgroupLines) is not { } path ? null
        : version == CgroupVersion.V1 ? $"/sys/fs/cgroup/memory{path}/memory.usage_in_bytes" : $"/sys/fs/cgroup{path}/memory.current";

    /// <summary>Bytes in a usage file, or null when the container stopped (its cgroup went) while we read.</summary>
    public static long? ReadFile(string usageFile)
    {
        try
        {
            return long.TryParse(File.ReadAllText(usageFile).AsSpan().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) ? bytes : null;
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
    /// The <paramref name="controller"/> cgroup (v1; v2 has one) of the container from its init's cgroup lines; cut after LXC's payload directory, since an
    /// init such as systemd moves itself into a child (init.scope) whose usage is only part of the container's.
    /// </summary>
    public static string? ContainerCgroup(CgroupVersion version, IEnumerable<string> procCgroupLines, string controller = "memory")
    {
        foreach (var line in procCgroupLines)
        {
            var parts = line.Split(':', 3);
            if (parts.Length != 3 || !(version == CgroupVersion.V1 ? parts[1].Split(',').Contains(controller) : parts[0] == "0" && parts[1].Length == 0))
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
