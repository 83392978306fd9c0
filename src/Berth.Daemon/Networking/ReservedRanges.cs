namespace Berth.Daemon.Networking;

/// <summary>Address ranges a bridge's subnet must not overlap: they mean something else to every host (RFC 6890).</summary>
public static class ReservedRanges
{
    private static readonly (IpSubnet Range, string Use)[] Ranges =
    [
        (Parse("0.0.0.0/8"), "'this network' (0.0.0.0/8)"),
        (Parse("127.0.0.0/8"), "loopback (127.0.0.0/8)"),
        (Parse("169.254.0.0/16"), "link-local (169.254.0.0/16)"),
        (Parse("224.0.0.0/4"), "multicast (224.0.0.0/4)"),
        (Parse("240.0.0.0/4"), "reserved and broadcast (240.0.0.0/4)"),
        (Parse("::/8"), "reserved IPv6, with loopback ::1 and IPv4-mapped addresses (::/8)"),
        (Parse("fe80::/10"), "IPv6 link-local (fe80::/10)"),
        (Parse("ff00::/8"), "IPv6 multicast (ff00::/8)"),
    ];

    /// <summary>What <paramref name="subnet"/> would clash with, or null when it is an ordinary range.</summary>
    public static string? Problem(IpSubnet subnet)
    {
        ArgumentNullException.ThrowIfNull(subnet);
        var clash = Ranges.FirstOrDefault(r => r.Range.Overlaps(subnet));
        return clash.Use is null ? null : $"'{subnet}' overlaps {clash.Use}; choose a private range such as 10.20.0.0/24 or fd42:20::/64";
    }

    private static IpSubnet Parse(string text) =>
        IpSubnet.TryParse(text, out var subnet, out var error) ? subnet! : throw new InvalidOperationException(error);
}
