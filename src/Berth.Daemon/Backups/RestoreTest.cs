using System.Globalization;
using Berth.Daemon.Processes;

namespace Berth.Daemon.Backups;

/// <summary>
/// Compares a restored tree with restic's own listing of the snapshot: every path, its type, size (files), permission
/// bits, owner and group, and a link's target must match, and nothing may be restored that the listing lacks.
/// </summary>
public static class RestoreTest
{
    /// <summary>The differences shown in a failure; the count says how many there were in all.</summary>
    private const int Shown = 5;

    /// <summary>Sockets are listed but never restored (restic skips them), so they are left out on both sides.</summary>
    private static readonly Dictionary<string, char> Types = new(StringComparer.Ordinal)
    {
        ["file"] = 'f', ["dir"] = 'd', ["symlink"] = 'l', ["fifo"] = 'p', ["chardev"] = 'c', ["dev"] = 'b',
    };

    public static IReadOnlyList<string> Compare(IReadOnlyList<ResticNode> listing, IReadOnlyList<RestoredEntry> restored)
    {
        ArgumentNullException.ThrowIfNull(listing);
        ArgumentNullException.ThrowIfNull(restored);
        var found = new Dictionary<string, RestoredEntry>(StringComparer.Ordinal);
        foreach (var entry in restored.Where(e => e.Type != 's'))
        {
            found[entry.Path] = entry;
        }

        List<string> differences = [];
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in listing.Where(n => n.Type != "socket"))
        {
            listed.Add(node.Path);
            if (!found.TryGetValue(node.Path, out var entry))
            {
                differences.Add($"{node.Path}: not restored");
                continue;
            }

            var type = Types.GetValueOrDefault(node.Type, '?');
            if (entry.Type != type)
            {
                differences.Add($"{node.Path}: a {node.Type} in the backup, restored as type '{entry.Type}'");
                continue;
            }

            if (type == 'f' && entry.Size != node.Size)
            {
                differences.Add(string.Create(CultureInfo.InvariantCulture, $"{node.Path}: {node.Size} bytes in the backup, {entry.Size} restored"));
            }

            if (type != 'l' && entry.Permissions != node.Permissions)
            {
                differences.Add($"{node.Path}: mode {Convert.ToString(node.Permissions, 8)} in the backup, {Convert.ToString(entry.Permissions, 8)} restored");
            }

            if (entry.Uid != node.Uid || entry.Gid != node.Gid)
            {
                differences.Add(string.Create(CultureInfo.InvariantCulture, $"{node.Path}: owner {node.Uid}:{node.Gid} in the backup, {entry.Uid}:{entry.Gid} restored"));
            }

            if (type == 'l' && node.LinkTarget is { } link && entry.LinkTarget != link)
            {
                differences.Add($"{node.Path}: links to '{link}' in the backup, to '{entry.LinkTarget}' restored");
            }
        }

        differences.AddRange(found.Keys.Where(p => !listed.Contains(p)).Order(StringComparer.Ordinal).Select(p => $"{p}: restored, but not in the backup"));
        return differences;
    }

    /// <summary>"3 differences: a; b; c" with at most a few named.</summary>
    public static string Describe(IReadOnlyList<string> differences)
    {
        ArgumentNullException.ThrowIfNull(differences);
        var more = differences.Count > Shown ? $"; and {differences.Count - Shown} more" : "";
        return string.Create(CultureInfo.InvariantCulture, $"{differences.Count} difference{(differences.Count == 1 ? "" : "s")}: {string.Join("; ", differences.Take(Shown))}{more}");
    }

    /// <summary>Every entry under <paramref name="root"/> (not itself), read by find(1) with NUL-separated fields, so any file name is safe.</summary>
    public static async Task<IReadOnlyList<RestoredEntry>> ReadTreeAsync(string root, CancellationToken cancellationToken)
    {
        var result = await CommandRunner.RunAsync("find", [root, "-mindepth", "1", "-printf", @"/%P\0%y\0%s\0%m\0%U\0%G\0%l\0"], cancellationToken).ConfigureAwait(false);
        var fields = result.Stdout.Split('\0');
        List<RestoredEntry> entries = [];
        for (var i = 0; i + 6 < fields.Length; i += 7)
        {
            entries.Add(new RestoredEntry(
                fields[i],
                fields[i + 1].Length > 0 ? fields[i + 1][0] : '?',
                long.Parse(fields[i + 2], CultureInfo.InvariantCulture),
                Convert.ToInt32(fields[i + 3], 8),
                long.Parse(fields[i + 4], CultureInfo.InvariantCulture),
                long.Parse(fields[i + 5], CultureInfo.InvariantCulture),
                fields[i + 6]));
        }

        return entries;
    }
}
