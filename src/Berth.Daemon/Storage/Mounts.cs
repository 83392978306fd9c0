namespace Berth.Daemon.Storage;

/// <summary>Reads the mount table (/proc/self/mountinfo) to tell mount points and their filesystem types.</summary>
public static class Mounts
{
    public static bool IsMountPoint(string path) => Find(path) is not null;

    /// <summary>The type of the filesystem <paramref name="path"/> is on (the longest mount point that contains it).</summary>
    public static string? FileSystemOf(string path)
    {
        var full = Path.GetFullPath(path).TrimEnd('/');
        string? best = null;
        var bestLength = -1;
        foreach (var (mountPoint, type) in Entries())
        {
            var mp = mountPoint.TrimEnd('/');
            if ((full == mp || full.StartsWith(mp + "/", StringComparison.Ordinal) || mp.Length == 0) && mp.Length > bestLength)
            {
                best = type;
                bestLength = mp.Length;
            }
        }

        return best;
    }

    private static string? Find(string path)
    {
        var full = Path.GetFullPath(path).TrimEnd('/');
        return Entries().Where(e => e.MountPoint.TrimEnd('/') == full).Select(e => e.Type).LastOrDefault();
    }

    /// <summary>mountinfo lines: "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - TYPE SOURCE SUPEROPTIONS".</summary>
    public static IEnumerable<(string MountPoint, string Type)> Entries()
    {
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            var fields = line.Split(' ');
            var separator = Array.IndexOf(fields, "-");
            if (fields.Length > 4 && separator > 0 && separator + 1 < fields.Length)
            {
                yield return (Unescape(fields[4]), fields[separator + 1]);
            }
        }
    }

    // mountinfo escapes space, tab, newline and backslash as octal.
    private static string Unescape(string field) =>
        field.Replace("\\040", " ", StringComparison.Ordinal).Replace("\\011", "\t", StringComparison.Ordinal)
            .Replace("\\012", "\n", StringComparison.Ordinal).Replace("\\134", "\\", StringComparison.Ordinal);
}
