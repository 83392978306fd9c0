using System.Collections.Concurrent;

namespace Berth.Daemon.Metrics;

/// <summary>
/// Bytes each container's root filesystem takes, measured by a walk that never follows links and refreshed rarely
/// (at most one walk per container per <see cref="RefreshAfter"/>), so a scrape never walks a rootfs.
/// </summary>
public sealed class DiskUsage(TimeProvider time)
{
    public static readonly TimeSpan RefreshAfter = TimeSpan.FromMinutes(15);

    private readonly ConcurrentDictionary<string, (DateTimeOffset At, long Bytes)> _known = new(StringComparer.Ordinal);

    /// <summary>The last measurement, or null before the first.</summary>
    public long? Last(string container) => _known.TryGetValue(container, out var known) ? known.Bytes : null;

    /// <summary>Measures the containers whose last measurement is old (called from the sampler, off the request path).</summary>
    public void Refresh(IReadOnlySet<string> containers, Func<string, string> rootfs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(containers);
        ArgumentNullException.ThrowIfNull(rootfs);
        var now = time.GetUtcNow();
        foreach (var name in containers)
        {
            if (_known.TryGetValue(name, out var known) && now - known.At < RefreshAfter)
            {
                continue;
            }

            cancellationToken.ThrowIfCancellationRequested();
            _known[name] = (now, Measure(rootfs(name)));
        }

        foreach (var (name, _) in _known)
        {
            if (!containers.Contains(name))
            {
                _known.TryRemove(name, out _);
            }
        }
    }

    /// <summary>Sum of file sizes under <paramref name="root"/>; links are counted as links, never followed.</summary>
    public static long Measure(string root)
    {
        if (!Directory.Exists(root))
        {
            return 0;
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint, ReturnSpecialDirectories = false };
        long total = 0;
        foreach (var size in new System.IO.Enumeration.FileSystemEnumerable<long>(root, (ref System.IO.Enumeration.FileSystemEntry e) => e.IsDirectory ? 0 : e.Length, options))
        {
            total += size;
        }

        return total;
    }
}
