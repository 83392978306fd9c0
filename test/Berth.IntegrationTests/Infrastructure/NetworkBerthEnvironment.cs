using System.Globalization;
using System.Security.Cryptography;

namespace Berth.IntegrationTests.Infrastructure;

/// <summary>
/// A Berth environment for networking tests: its own bridge names and subnets (a random 10.200-250.x range per
/// environment) on top of the nft table every environment has, all derived from the run id and removed at the end
/// even when a test fails.
/// </summary>
public class NetworkBerthEnvironment : BerthEnvironment
{
    private static int _environments;
    private readonly int _secondOctet = RandomNumberGenerator.GetInt32(200, 251);
    private readonly int _thirdOctetBase = RandomNumberGenerator.GetInt32(0, 24) * 10;
    private int _networks;

    public NetworkBerthEnvironment()
    {
        NetPrefix = $"n{TestHost.RunId}{Interlocked.Increment(ref _environments).ToString("x", CultureInfo.InvariantCulture)}";
    }

    /// <summary>Every bridge and namespace this environment makes starts with this (at most 8 characters).</summary>
    public string NetPrefix { get; }

    /// <summary>A network (bridge) name unique to this environment; at most 15 characters.</summary>
    public string NetworkName(string hint) => $"{NetPrefix}{hint}"[..Math.Min(15, NetPrefix.Length + hint.Length)];

    /// <summary>A fresh /24 in this environment's private range.</summary>
    public string NextSubnet() =>
        $"10.{_secondOctet.ToString(CultureInfo.InvariantCulture)}.{(_thirdOctetBase + Interlocked.Increment(ref _networks)).ToString(CultureInfo.InvariantCulture)}.0/24";

    /// <summary>The pids of the dnsmasq processes this environment's daemon started (one per network).</summary>
    public IReadOnlyList<string> NameServerPids() => Directory.Exists(Path.Combine(StateDir, "dns"))
        ? [.. Directory.GetFiles(Path.Combine(StateDir, "dns"), "dnsmasq.pid", SearchOption.AllDirectories).Select(f => File.ReadAllText(f).Trim())]
        : [];

    public override async Task DisposeAsync()
    {
        try
        {
            foreach (var pid in NameServerPids())
            {
                await Host.RunAsync("kill", "-TERM", pid);
            }
        }
        finally
        {
            await base.DisposeAsync();
        }

        var (_, links, _) = await Host.RunAsync("ip", "-o", "link", "show");
        foreach (var line in links.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = line.Split(':', 3)[1].Trim().Split('@')[0];
            if (name.StartsWith(NetPrefix, StringComparison.Ordinal))
            {
                await Host.RunAsync("ip", "link", "delete", name);
            }
        }

        foreach (var claim in Directory.Exists("/run/berth") ? Directory.GetFiles("/run/berth", $"bridge-{NetPrefix}*") : [])
        {
            File.Delete(claim);
        }

        var (_, namespaces, _) = await Host.RunAsync("ip", "netns", "list");
        foreach (var line in namespaces.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = line.Split(' ')[0];
            if (name.StartsWith(NetPrefix, StringComparison.Ordinal))
            {
                await Host.RunAsync("ip", "netns", "delete", name);
            }
        }
    }
}
