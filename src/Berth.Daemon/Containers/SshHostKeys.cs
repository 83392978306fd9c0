using Berth.Daemon.Native;
using Berth.Daemon.Processes;

namespace Berth.Daemon.Containers;

/// <summary>
/// A container's SSH host keys, by which SSH clients recognise it: generated in a private host directory and
/// written in through the fd-relative accessor, so no link in the container's /etc/ssh is ever followed.
/// </summary>
public static class SshHostKeys
{
    private const string Directory = "etc/ssh";
    private const string Prefix = "ssh_host_";

    /// <summary>Whether the tree runs an SSH server whose keys Berth renews (usr/sbin/sshd and an etc/ssh to put them in).</summary>
    public static bool Wanted(RootfsDirectory root)
    {
        ArgumentNullException.ThrowIfNull(root);
        return root.Kind("usr/sbin/sshd") != RootfsEntryKind.Missing && root.Kind(Directory) != RootfsEntryKind.Missing;
    }

    /// <summary>A fresh set of host keys (file name, content, mode), from ssh-keygen -A in a directory only root can enter.</summary>
    public static async Task<IReadOnlyList<(string Name, byte[] Content, UnixFileMode Mode)>> GenerateAsync(CancellationToken cancellationToken)
    {
        var scratch = System.IO.Directory.CreateTempSubdirectory("berth-hostkeys-").FullName;
        try
        {
            var ssh = Path.Combine(scratch, "etc", "ssh");
            System.IO.Directory.CreateDirectory(ssh);
            await CommandRunner.RunAsync("ssh-keygen", ["-A", "-f", scratch], cancellationToken).ConfigureAwait(false);
            var keys = new List<(string, byte[], UnixFileMode)>();
            foreach (var file in System.IO.Directory.GetFiles(ssh, Prefix + "*"))
            {
                var mode = file.EndsWith(".pub", StringComparison.Ordinal)
                    ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead
                    : UnixFileMode.UserRead | UnixFileMode.UserWrite;
                keys.Add((Path.GetFileName(file), await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false), mode));
            }

            return keys;
        }
        finally
        {
            System.IO.Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>Removes every ssh_host_* name in etc/ssh (links themselves, never their targets) and writes <paramref name="keys"/> in their place.</summary>
    public static void Replace(RootfsDirectory root, IReadOnlyList<(string Name, byte[] Content, UnixFileMode Mode)> keys)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var name in root.List(Directory) ?? [])
        {
            if (name.StartsWith(Prefix, StringComparison.Ordinal))
            {
                root.Delete($"{Directory}/{name}");
            }
        }

        foreach (var (name, content, mode) in keys)
        {
            root.Write($"{Directory}/{name}", content, mode, (UnixFileMode)0b111_101_101);
        }
    }
}
