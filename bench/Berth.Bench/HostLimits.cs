using System.Globalization;

namespace Berth.Bench;

/// <summary>
/// Host limits many containers need (as Incus's production setup raises them): raised for a run when lower,
/// and put back at the end.
/// </summary>
public static class HostLimits
{
    private static readonly (string Key, long Value)[] Limits =
    [
        ("fs.inotify.max_user_instances", 1048576),
        ("fs.inotify.max_user_watches", 1048576),
        ("kernel.keys.maxkeys", 2000),
        ("kernel.keys.maxbytes", 2000000),
        ("net.ipv4.neigh.default.gc_thresh3", 8192),
    ];

    /// <summary>Raises the limits that are lower than needed; answers the old values, for <see cref="RestoreAsync"/>.</summary>
    public static async Task<List<(string Key, long Value)>> RaiseAsync(string benchmark)
    {
        var restore = new List<(string, long)>();
        foreach (var (key, value) in Limits)
        {
            var now = long.Parse((await BenchHost.ToolAsync("sysctl", "-n", key)).Trim(), CultureInfo.InvariantCulture);
            if (now < value)
            {
                await BenchHost.ToolAsync("sysctl", "-q", "-w", $"{key}={value.ToString(CultureInfo.InvariantCulture)}");
                restore.Add((key, now));
                Console.WriteLine($"{benchmark}: raised {key} from {now} to {value} for this run");
            }
        }

        return restore;
    }

    public static async Task RestoreAsync(IEnumerable<(string Key, long Value)> restore)
    {
        foreach (var (key, value) in restore)
        {
            await BenchHost.ToolAsync("sysctl", "-q", "-w", $"{key}={value.ToString(CultureInfo.InvariantCulture)}");
        }
    }
}
