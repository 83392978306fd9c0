using System.Globalization;

namespace Berth.Daemon.Containers;

/// <summary>The host id range that root in an unprivileged container maps to, read from /etc/subuid and /etc/subgid.</summary>
public sealed record IdMap(long UidBase, long GidBase, long Size)
{
    /// <summary>65536 ids cover every id a Linux distribution uses.</summary>
    public const long ContainerRange = 65536;

    /// <summary>root's first range of at least 65536 ids in both files, or null when setup has not reserved one.</summary>
    public static IdMap? ReadHost(string subuid = "/etc/subuid", string subgid = "/etc/subgid")
    {
        var uid = FirstRange(subuid);
        var gid = FirstRange(subgid);
        return uid is null || gid is null ? null : new IdMap(uid.Value, gid.Value, ContainerRange);
    }

    public static long? FirstRange(string path) => RootRange(path)?.Start;

    /// <summary>root's first range of at least 65536 ids in the file: where it starts and how many ids it has.</summary>
    public static (long Start, long Count)? RootRange(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        foreach (var line in File.ReadLines(path))
        {
            var parts = line.Split(':');
            if (parts.Length == 3 && (parts[0] == "root" || parts[0] == "0")
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
                && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
                && count >= ContainerRange)
            {
                return (start, count);
            }
        }

        return null;
    }

    public override string ToString() => $"u 0 {UidBase} {Size}, g 0 {GidBase} {Size}";
}
