using static Berth.Daemon.Native.RootfsInterop;

namespace Berth.Daemon.Native;

/// <summary>Moves between two held directories: names are used, never followed.</summary>
public sealed unsafe partial class TreeDirectory
{
    /// <summary>
    /// Moves <paramref name="fromName"/> of <paramref name="from"/> here as <paramref name="name"/>: with
    /// <paramref name="exchange"/> the two swap atomically (what had the name ends up in <paramref name="from"/>),
    /// else the move fails when the name exists.
    /// </summary>
    public void MoveFrom(TreeDirectory from, string fromName, string name, bool exchange)
    {
        ArgumentNullException.ThrowIfNull(from);
        Check(renameat2(from.Fd, fromName, Fd, name, exchange ? RenameExchange : RenameNoreplace), name, "replace");
    }

    /// <summary>The descriptor's path under /proc: a child process reaches this very directory through it, whatever is renamed meanwhile.</summary>
    public string ProcPath => $"/proc/{Environment.ProcessId}/fd/{Fd}";
}
