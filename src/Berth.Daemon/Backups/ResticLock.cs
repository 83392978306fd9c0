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
    /// Whether a killed restic left this lock: taken on this host by a process that is gone, a zombie, no longer restic,
    /// or a restic (or a thread of one: /proc answers for thread ids too) that started after the lock was taken, its pid
    /// reused. Another host's lock is never called stale here, however old.
    /// </summary>
    public bool IsDeadOn(string hostname) => Hostname == hostname && !IsOwnerAlive();

    // The kernel's clock ticks per second for /proc starttime (USER_HZ): 100 on every Linux architecture Berth runs on.
    private const double ClockTicksPerSecond = 100;

    // btime has whole seconds and the wall clock may have been stepped a little since boot.
    private static readonly TimeSpan StartSlack = TimeSpan.FromSeconds(2);

    private bool IsOwnerAlive()
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)}/stat");
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }

        // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so the fields follow the last ')'.
        var open = stat.IndexOf('(', StringComparison.Ordinal);
        var close = stat.LastIndexOf(')');
        if (open < 0 || close < open || close + 2 >= stat.Length)
        {
            return false;
        }

        var comm = stat[(open + 1)..close];
        var fields = stat[(close + 2)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (comm != "restic" || fields.Length == 0 || fields[0] is "Z" or "X")
        {
            return false;
        }

        // Field 22, starttime: index 19 after state (field 3).
        return fields.Length <= 19 || !long.TryParse(fields[19], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ticks)
            || BootTime() is not { } boot || boot.AddSeconds(ticks / ClockTicksPerSecond) <= Time + StartSlack;
    }

    /// <summary>When the host booted (btime of /proc/stat); null when it cannot be read.</summary>
    private static DateTimeOffset? BootTime()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/stat"))
            {
                if (line.StartsWith("btime ", StringComparison.Ordinal)
                    && long.TryParse(line.AsSpan(6).Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
                {
                    return DateTimeOffset.FromUnixTimeSeconds(seconds);
                }
            }
        }
        catch (IOException)
        {
        }

        return null;
    }
}
