using System.Globalization;

namespace Berth.Daemon.Containers;

/// <summary>CPU lists in the kernel's cpuset syntax: 0,1 or 0-3 or 0-1,4.</summary>
public static class CpuSet
{
    public static bool TryParse(string text, out SortedSet<int> cpus)
    {
        cpus = [];
        if (string.IsNullOrWhiteSpace(text) || text.Length > 256)
        {
            return false;
        }

        foreach (var part in text.Split(','))
        {
            // No spaces inside: the value is written as it is into the LXC configuration and the cgroup file.
            var bounds = part.Split('-');
            if (bounds.Length is < 1 or > 2
                || !int.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
                || first > 1023)
            {
                return false;
            }

            var last = first;
            if (bounds.Length == 2 && (!int.TryParse(bounds[1], NumberStyles.None, CultureInfo.InvariantCulture, out last) || last < first || last > 1023))
            {
                return false;
            }

            for (var cpu = first; cpu <= last; cpu++)
            {
                cpus.Add(cpu);
            }
        }

        return true;
    }
}
