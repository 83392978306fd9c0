using System.Runtime.InteropServices;

namespace Berth.Daemon.Native;

/// <summary>The process umask, set for the length of one call: a Unix socket takes its file mode from it at bind.</summary>
public static partial class FileCreationMask
{
    /// <summary>Runs <paramref name="action"/> with umask <paramref name="mask"/>; only safe while no other thread creates files.</summary>
    public static T With<T>(uint mask, Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var previous = umask(mask);
        try
        {
            return action();
        }
        finally
        {
            umask(previous);
        }
    }

    [LibraryImport("libc")]
    private static partial uint umask(uint mask);
}
