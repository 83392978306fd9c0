using System.Security.Cryptography;
using System.Text;

namespace Berth.Daemon.Images;

/// <summary>An image Berth knows how to build: what it is and the recipe that makes it (its fingerprint is the recipe's hash).</summary>
public sealed record ImageDefinition(string Alias, string Os, string Release, string Recipe)
{
    public string Fingerprint { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Recipe)));

    /// <summary>Debian suite for debootstrap, null for non-Debian images.</summary>
    public string? Suite { get; init; }

    /// <summary>Packages debootstrap installs on top of the minimal base.</summary>
    public IReadOnlyList<string> Packages { get; init; } = [];

    /// <summary>The signal LXC sends init for a graceful halt (busybox init halts on SIGUSR1, systemd on SIGRTMIN+3).</summary>
    public string? HaltSignal { get; init; }

    /// <summary>The distribution's LXC include files, e.g. "debian" for debian.common.conf and debian.userns.conf.</summary>
    public string? LxcProfile { get; init; }

    public ImageOrigin Origin { get; init; } = ImageOrigin.Catalog;

    /// <summary>Whether Berth can build it from its recipe (published and imported images exist only as their files).</summary>
    public bool Buildable => Origin is ImageOrigin.Catalog or ImageOrigin.Packages;
}
