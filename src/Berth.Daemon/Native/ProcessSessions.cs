using System.Globalization;

namespace Berth.Daemon.Native;

/// <summary>
/// Ends what runs on a terminal lxc-attach proxies: the process it attached leads a session of its own inside the
/// container, and killing lxc-attach alone leaves that session's background jobs running there.
/// </summary>
public static class ProcessSessions
{
    /// <summary>Sends SIGKILL to every process in the sessions that the children of <paramref name="parentPid"/> lead.</summary>
    public static int KillSessionsLedByChildrenOf(int parentPid)
    {
        var processes = Snapshot();
        var leaders = processes.Where(p => p.ParentPid == parentPid).Select(p => p.Pid).ToHashSet();
        var killed = 0;
        foreach (var process in processes.Where(p => leaders.Contains(p.SessionId) || leaders.Contains(p.Pid)))
        {
            if (LibcInterop.kill(process.Pid, LibcInterop.Sigkill) == 0)
            {
                killed++;
            }
        }

        return killed;
    }

    /// <summary>Whether the process exists and is not a zombie.</summary>
    public static bool IsRunning(int pid) => Read(pid) is { } stat && stat.State is not ('Z' or 'X');

    private static List<(int Pid, int ParentPid, int SessionId, char State)> Snapshot()
    {
        var result = new List<(int, int, int, char)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Read(pid) is { } stat)
            {
                result.Add((pid, stat.ParentPid, stat.SessionId, stat.State));
            }
        }

        return result;
    }

    /// <summary>Fields of /proc/PID/stat after the command name, which may itself hold spaces and parentheses.</summary>
    private static (char State, int ParentPid, int SessionId)? Read(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        var fields = text[(text.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 4
            && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent)
            && int.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var session)
            ? (fields[0][0], parent, session)
            : null;
    }
}
