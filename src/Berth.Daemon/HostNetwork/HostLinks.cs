using System.Globalization;
using System.Net;
using System.Text.Json;
using Berth.Daemon.Processes;

namespace Berth.Daemon.HostNetwork;

/// <summary>What the host has (read from /sys and <c>ip -j</c>) and the iproute2 steps that change it, one link or address at a time.</summary>
public static class HostLinks
{
    private const string Ipv4Forwarding = "/proc/sys/net/ipv4/ip_forward";
    private const string Ipv6Forwarding = "/proc/sys/net/ipv6/conf/all/forwarding";

    public static bool Exists(string name) => Directory.Exists($"/sys/class/net/{name}");

    public static bool IsBridge(string name) => Directory.Exists($"/sys/class/net/{name}/bridge");

    /// <summary>The bridge (or other master) the interface is enslaved to, or null.</summary>
    public static string? Master(string name)
    {
        var link = new FileInfo($"/sys/class/net/{name}/master");
        return link.LinkTarget is { } target ? Path.GetFileName(target) : null;
    }

    public static bool IsUp(string name)
    {
        var path = $"/sys/class/net/{name}/flags";
        return File.Exists(path)
            && int.TryParse(File.ReadAllText(path).Trim().Replace("0x", "", StringComparison.Ordinal), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var flags)
            && (flags & 1) == 1;
    }

    /// <summary>The global addresses on the interface as "address/prefix", addresses in their canonical form.</summary>
    public static async Task<IReadOnlySet<string>> AddressesAsync(string name, CancellationToken cancellationToken)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        var listed = await CommandRunner.TryRunAsync("ip", ["-j", "addr", "show", "dev", name], cancellationToken).ConfigureAwait(false);
        if (listed.ExitCode != 0 || string.IsNullOrWhiteSpace(listed.Stdout))
        {
            return result;
        }

        using var document = JsonDocument.Parse(listed.Stdout);
        foreach (var link in document.RootElement.EnumerateArray())
        {
            if (!link.TryGetProperty("addr_info", out var addresses))
            {
                continue;
            }

            foreach (var address in addresses.EnumerateArray())
            {
                if (address.TryGetProperty("local", out var local) && address.TryGetProperty("prefixlen", out var prefix)
                    && IPAddress.TryParse(local.GetString(), out var ip) && !ip.IsIPv6LinkLocal)
                {
                    result.Add($"{ip}/{prefix.GetInt32().ToString(CultureInfo.InvariantCulture)}");
                }
            }
        }

        return result;
    }

    /// <summary>The interfaces the host's IPv4 and IPv6 default routes leave through.</summary>
    public static async Task<IReadOnlySet<string>> DefaultRouteInterfacesAsync(CancellationToken cancellationToken)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var family in new[] { "-4", "-6" })
        {
            var listed = await CommandRunner.TryRunAsync("ip", ["-j", family, "route", "show", "default"], cancellationToken).ConfigureAwait(false);
            if (listed.ExitCode != 0 || string.IsNullOrWhiteSpace(listed.Stdout))
            {
                continue;
            }

            using var document = JsonDocument.Parse(listed.Stdout);
            foreach (var route in document.RootElement.EnumerateArray())
            {
                if (route.TryGetProperty("dev", out var dev) && dev.GetString() is { } name)
                {
                    result.Add(name);
                }
            }
        }

        return result;
    }

    /// <summary>Creates the bridge; one made meanwhile by someone else (the network reconciler at start) counts as made.</summary>
    public static async Task CreateBridgeAsync(string name, CancellationToken cancellationToken)
    {
        var result = await CommandRunner.TryRunAsync("ip", ["link", "add", name, "type", "bridge"], cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0 && !IsBridge(name))
        {
            throw new CommandFailedException(result);
        }
    }

    public static async Task DeleteBridgeAsync(string name, CancellationToken cancellationToken)
    {
        if (Exists(name))
        {
            await CommandRunner.RunAsync("ip", ["link", "delete", name, "type", "bridge"], cancellationToken).ConfigureAwait(false);
        }
    }

    public static Task EnslaveAsync(string nic, string bridge, CancellationToken cancellationToken) =>
        CommandRunner.RunAsync("ip", ["link", "set", nic, "master", bridge, "up"], cancellationToken);

    public static async Task ReleaseAsync(string nic, CancellationToken cancellationToken)
    {
        if (Exists(nic))
        {
            await CommandRunner.RunAsync("ip", ["link", "set", nic, "nomaster"], cancellationToken).ConfigureAwait(false);
        }
    }

    public static Task AddAddressAsync(string bridge, HostAddress address, CancellationToken cancellationToken) =>
        CommandRunner.RunAsync("ip", address.IsIpv4
            ? ["-4", "addr", "replace", address.ToString(), "dev", bridge]
            : ["-6", "addr", "replace", address.ToString(), "dev", bridge, "nodad"], cancellationToken);

    public static async Task RemoveAddressAsync(string bridge, HostAddress address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (Exists(bridge))
        {
            await CommandRunner.TryRunAsync("ip", [address.IsIpv4 ? "-4" : "-6", "addr", "del", address.ToString(), "dev", bridge], cancellationToken).ConfigureAwait(false);
        }
    }

    public static Task SetUpAsync(string name, bool up, CancellationToken cancellationToken) =>
        CommandRunner.RunAsync("ip", ["link", "set", name, up ? "up" : "down"], cancellationToken);

    public static bool Forwarding(bool ipv6) => File.Exists(ipv6 ? Ipv6Forwarding : Ipv4Forwarding)
        && File.ReadAllText(ipv6 ? Ipv6Forwarding : Ipv4Forwarding).Trim() == "1";

    public static Task SetForwardingAsync(bool ipv6, bool on, CancellationToken cancellationToken) =>
        File.WriteAllTextAsync(ipv6 ? Ipv6Forwarding : Ipv4Forwarding, on ? "1" : "0", cancellationToken);
}
