namespace Berth.Daemon.Containers;

/// <summary>
/// A distribution's pair of LXC include files (/usr/share/lxc/config/NAME.common.conf and NAME.userns.conf): one of
/// the names LXC ships, and installed on this host, since liblxc refuses to load a configuration whose include is missing.
/// </summary>
public static class LxcProfile
{
    public const string SharedConfig = "/usr/share/lxc/config";

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "alpine", "archlinux", "centos", "debian", "devuan", "fedora", "gentoo", "kali", "opensuse", "oracle",
        "plamo", "sabayon", "slackware", "sparclinux", "ubuntu", "ubuntu-cloud", "voidlinux",
    };

    public static IReadOnlyCollection<string> Names => Known;

    /// <summary>What is wrong with <paramref name="value"/>, or null when it is a profile this host can load.</summary>
    public static string? Problem(string? value, string sharedConfig = SharedConfig)
    {
        if (value is null || !Known.Contains(value))
        {
            return $"not an LXC profile; use one of {string.Join(", ", Known.Order(StringComparer.Ordinal))}";
        }

        return File.Exists(Path.Combine(sharedConfig, $"{value}.common.conf")) && File.Exists(Path.Combine(sharedConfig, $"{value}.userns.conf"))
            ? null
            : $"this host's LXC has no {value} profile ({sharedConfig}/{value}.common.conf); install it or import on a host that has it";
    }
}
