namespace Berth.Daemon.Backups;

/// <summary>One lock file in a repository, as <c>restic cat lock</c> shows it: who took it, when, and from which process.</summary>
public sealed record ResticLock(string Id, DateTimeOffset Time, bool Exclusive, string Hostname, int Pid)
{
    /// <summary>This machine's name as restic writes it into a lock (Go's os.Hostname: the whole kernel host name).</summary>
    public static string ThisHost()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/hostname").Trim();
        }
        catch (IOException)
        {
            return Environment.MachineName;
        }
    }

    /// <summary>
    /// Whether a killed restic left this lock: taken on this host by a process that is gone, a zombie, or no longer restic
    /// (its pid reused). Another host's lock is never called stale here, however old.
    /// </summary>
    public bool IsDeadOn(string hostname) => Hostname == hostname && !IsLiveRestic(Pid);

    private static bool IsLiveRestic(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }

        // "pid (comm) state ...": comm may hold spaces and parentheses, so the state follows the last ')'.
        var open = stat.IndexOf('(', StringComparison.Ordinal);
        var close = stat.LastIndexOf(')');
        if (open < 0 || close < open || close + 2 >= stat.Length)
        {
            return false;
        }

        var comm = stat[(open + 1)..close];
        var state = stat[close + 2];
        return comm == "restic" && state is not ('Z' or 'X');
    }
}
