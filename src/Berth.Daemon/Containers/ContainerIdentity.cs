using Berth.Daemon.Storage;
using Berth.Daemon.Store;

namespace Berth.Daemon.Containers;

/// <summary>
/// The files that make a root filesystem this container's own: host name, hosts and the resolver on its network, and
/// (for a new, copied or imported tree) a machine id and SSH host keys of its own, all written through <see cref="RootfsFiles"/>.
/// </summary>
public sealed class ContainerIdentity(RootfsFiles files)
{
    private const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public async Task WriteAsync(ContainerRecord container, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(container);
        var name = container.Name;
        await files.WriteAsync(name, "etc/hostname", name + "\n", Readable, cancellationToken).ConfigureAwait(false);
        await files.WriteAsync(
            name,
            "etc/hosts",
            $"127.0.0.1\tlocalhost\n127.0.1.1\t{name}\n::1\tlocalhost ip6-localhost ip6-loopback\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n",
            Readable,
            cancellationToken).ConfigureAwait(false);
        if (container.Nic is { } nic)
        {
            await files.WriteAsync(name, "etc/resolv.conf", $"nameserver {nic.Network.Ipv4.Gateway}\n", Readable, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Gives the tree its own machine id and SSH host keys, so that it cannot pass for the container (or image) it was
    /// made from, to systemd or to SSH clients.
    /// </summary>
    public async Task RenewAsync(string container, CancellationToken cancellationToken)
    {
        var wantsKeys = await files.UseAsync(
            container,
            root =>
            {
                MachineId.Renew(root);
                return SshHostKeys.Wanted(root);
            },
            cancellationToken).ConfigureAwait(false);
        if (wantsKeys)
        {
            var keys = await SshHostKeys.GenerateAsync(cancellationToken).ConfigureAwait(false);
            await files.UseAsync(container, root => SshHostKeys.Replace(root, keys), cancellationToken).ConfigureAwait(false);
        }
    }
}
