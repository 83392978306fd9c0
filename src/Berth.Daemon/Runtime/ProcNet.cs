using System.Globalization;
using System.Net;

namespace Berth.Daemon.Runtime;

/// <summary>
/// Reads a container's addresses through /proc/PID/net of its init, which shows the container's network namespace:
/// no fork, no setns, no liblxc get_ips (which forks).
/// </summary>
public static class ProcNet
{
    public static IReadOnlyList<string> Addresses(int pid)
    {
        var result = new List<string>();
        try
        {
            result.AddRange(Ipv4(File.ReadAllLines($"/proc/{pid}/net/fib_trie")));
            result.AddRange(Ipv6(File.ReadAllLines($"/proc/{pid}/net/if_inet6")));
        }
        catch (IOException)
        {
            // The container stopped while we read.
        }
        catch (UnauthorizedAccessException)
        {
        }

        return result;
    }

    /// <summary>The host uid the process runs as (its real uid seen from the host).</summary>
    public static long? HostUid(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Local host addresses from fib_trie: a "/32 host LOCAL" entry follows the address line.</summary>
    public static IEnumerable<string> Ipv4(IReadOnlyList<string> fibTrie)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 1; i < fibTrie.Count; i++)
        {
            if (fibTrie[i].Trim() == "/32 host LOCAL")
            {
                var address = fibTrie[i - 1].Trim().TrimStart('|', '-', ' ');
                if (IPAddress.TryParse(address, out var ip) && !IPAddress.IsLoopback(ip) && seen.Add(address))
                {
                    yield return address;
                }
            }
        }
    }

    /// <summary>Global addresses from if_inet6 (32 hex digits, index, prefix, scope, flags, name); link-local and loopback skipped.</summary>
    public static IEnumerable<string> Ipv6(IReadOnlyList<string> ifInet6)
    {
        foreach (var line in ifInet6)
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 6 || parts[0].Length != 32 || parts[3] != "00")
            {
                continue;
            }

            var bytes = Convert.FromHexString(parts[0]);
            yield return new IPAddress(bytes).ToString();
        }
    }
}
