using Microsoft.Extensions.Options;

namespace Berth.Daemon.Hosting;

/// <summary>Every path under the state directory, derived in one place.</summary>
public sealed class StatePaths
{
    public StatePaths(IOptions<BerthOptions> options)
        : this(options.Value)
    {
    }

    public StatePaths(BerthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Root = Path.GetFullPath(options.StateDir);
        Images = Path.GetFullPath(options.ImagesDir ?? Path.Combine(Root, "images"));
    }

    public string Root { get; }

    public string Database => Path.Combine(Root, "berth.db");

    public string Socket => Path.Combine(Root, "unix.socket");

    /// <summary>Berth's own lxcpath; never /var/lib/lxc.</summary>
    public string LxcPath => Path.Combine(Root, "containers");

    public string Images { get; }

    /// <summary>The self-signed HTTPS certificate and its key, made at the first start with --https and no --tls-cert.</summary>
    public string TlsDir => Path.Combine(Root, "tls");

    /// <summary>The host boot id seen at the last daemon start; a different one means the host rebooted.</summary>
    public string BootIdFile => Path.Combine(Root, "boot_id");

    public string ContainerDir(string name) => Path.Combine(LxcPath, name);

    public string ContainerConfig(string name) => Path.Combine(LxcPath, name, "config");


    public string ContainerLog(string name) => Path.Combine(LxcPath, name, "lxc.log");

    /// <summary>
    /// Creates the directories: the state directory and the lxcpath 0711 (dnsmasq, running as nobody, reads its
    /// hosts file under the first; lxc-start checks that the container's root can traverse the second), each
    /// container's directory and the images 0700, since the trees in them hold the containers' setuid files unshifted.
    /// </summary>
    public void Ensure()
    {
        Storage.StorageLayout.EnsureTraversable(Root);
        Storage.StorageLayout.EnsureTraversable(LxcPath);
        Storage.StorageLayout.EnsurePrivate(Images);
        foreach (var container in Directory.GetDirectories(LxcPath))
        {
            File.SetUnixFileMode(container, Storage.StorageLayout.Private);
        }
    }
}
