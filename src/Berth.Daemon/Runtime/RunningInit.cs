using System.Globalization;
using Berth.Daemon.Containers;

namespace Berth.Daemon.Runtime;

/// <summary>
/// A running container's init as liblxc named it, with its start time (which tells that very process from a later
/// one given the same pid) and the container's cgroup files. While that process lives the container runs, frozen or
/// not as its freezer file says: a list asks /proc and the cgroup tree instead of making two round trips to each
/// container's monitor (state, init pid), which is most of what listing hundreds of containers costs.
/// </summary>
public sealed record RunningInit(int Pid, long StartTime, string FreezerFile, string? MemoryFile, long? HostUid)
{
    /// <summary>The init <paramref name="pid"/>, or null when it is gone or its cgroup has no freezer to read.</summary>
    public static RunningInit? Of(CgroupVersion version, int pid)
    {
        try
        {
            var lines = File.ReadAllLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cgroup");
            var freezer = version == CgroupVersion.V1
                ? CgroupMemory.ContainerCgroup(version, lines, "freezer") is { } v1 ? $"/sys/fs/cgroup/freezer{v1}/freezer.state" : null
                : CgroupMemory.ContainerCgroup(version, lines) is { } v2 ? $"/sys/fs/cgroup{v2}/cgroup.freeze" : null;
            if (freezer is null || !File.Exists(freezer) || StartTimeOf(pid) is not { } started)
            {
                return null;
            }

            return new RunningInit(pid, started, freezer, CgroupMemory.UsageFile(version, lines), ProcNet.HostUid(pid));
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
    /// Frozen (true) or running (false) while this init lives; null when it has exited (the container stopped or was
    /// restarted), so the caller asks liblxc again.
    /// </summary>
    public bool? Frozen()
    {
        try
        {
            if (StartTimeOf(Pid) != StartTime)
            {
                return null;
            }

            var state = File.ReadAllText(FreezerFile).Trim();
            return state is "FROZEN" or "FREEZING" or "1";
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

    /// <summary>Field 22 of /proc/PID/stat (clock ticks after boot), read after the command name, which may hold spaces and parentheses; null once it exited.</summary>
    internal static long? StartTimeOf(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (IOException)
        {
            return null;
        }

        return ParseStartTime(stat);
    }

    internal static long? ParseStartTime(string stat)
    {
        var fields = stat[(stat.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // After the name come state (field 3) onwards, so field 22 is the 20th here; an init that exited (a zombie) is gone.
        return fields.Length > 19 && fields[0] is not ("Z" or "X") && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ? ticks : null;
    }
}
