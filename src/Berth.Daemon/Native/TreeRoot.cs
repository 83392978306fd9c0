using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;
using static Berth.Daemon.Native.RootfsInterop;

namespace Berth.Daemon.Native;

/// <summary>
/// A container's root filesystem opened once as a directory descriptor. Paths are resolved the way the container
/// itself would resolve them, by the kernel: openat2 with RESOLVE_IN_ROOT makes absolute links and ".." stop at this
/// root, even while the container renames and swaps links underneath (the kernel retries or fails, never escapes);
/// RESOLVE_NO_MAGICLINKS refuses /proc-style links and RESOLVE_NO_XDEV refuses a mount on the host side of the tree.
/// </summary>
public sealed class TreeRoot : IDisposable
{
    private readonly SafeFileHandle _root;

    private TreeRoot(SafeFileHandle root) => _root = root;

    /// <summary>Opens the tree at <paramref name="hostPath"/> (a path Berth chose, never one from the container).</summary>
    public static TreeRoot Open(string hostPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(hostPath);
        var fd = RootfsInterop.open(hostPath, OPath | ODirectory | ONofollow | OCloexec);
        return fd < 0
            ? throw new IOException($"cannot open {hostPath}: {Marshal.GetLastPInvokeErrorMessage()}")
            : new TreeRoot(new SafeFileHandle(fd, ownsHandle: true));
    }

    /// <summary>
    /// The directory the container calls /<paramref name="components"/>, or null when it does not exist. With
    /// <paramref name="create"/>, missing directories are made, each through its parent's descriptor and given
    /// mode 0755 and the owners <paramref name="uid"/>/<paramref name="gid"/>.
    /// </summary>
    public TreeDirectory? Resolve(IReadOnlyList<string> components, bool create = false, long uid = 0, long gid = 0)
    {
        ArgumentNullException.ThrowIfNull(components);
        var path = "/" + string.Join('/', components);
        var fd = Openat2(components.Count == 0 ? "." : string.Join('/', components));
        if (fd >= 0)
        {
            return new TreeDirectory(new SafeFileHandle(fd, ownsHandle: true), path);
        }

        var errno = Marshal.GetLastPInvokeError();
        if (errno != Enoent)
        {
            throw Failure(errno, path);
        }

        if (!create)
        {
            return null;
        }

        // The longest part that exists, then one new directory at a time below it.
        var existing = components.Count - 1;
        TreeDirectory? current = null;
        while (current is null)
        {
            current = Resolve([.. components.Take(existing)]);
            existing -= current is null ? 1 : 0;
        }

        try
        {
            for (var i = existing; i < components.Count; i++)
            {
                if (current.MakeDirectory(components[i]))
                {
                    current.SetOwner(components[i], uid, gid);
                }

                var next = current.OpenDirectory(components[i])
                    ?? throw new TreeException(TreeFault.NotFound, $"{current.PathOf(components[i])} was removed while Berth created it");
                current.Dispose();
                current = next;
                current.SetMode((UnixFileMode)0b111_101_101);
            }

            return current;
        }
        catch
        {
            current.Dispose();
            throw;
        }
    }

    public void Dispose() => _root.Dispose();

    private static TreeException Failure(int errno, string path) => errno switch
    {
        Enosys => new TreeException(TreeFault.Other, "this kernel lacks openat2 (Linux 5.6 and later have it); Berth does not open a container's files without it"),
        Exdev => new TreeException(TreeFault.Unsafe, $"{path} crosses a mount point on the host; Berth does not follow it"),
        Eloop => new TreeException(TreeFault.Unsafe, $"{path} leads through too many symbolic links, or a /proc link"),
        Enotdir => new TreeException(TreeFault.NotADirectory, $"{path}: a component on the way is not a directory"),
        _ => new TreeException(TreeDirectory.FaultOf(errno), $"cannot open {path}: {Marshal.GetPInvokeErrorMessage(errno)}"),
    };

    private unsafe int Openat2(string path)
    {
        var how = new OpenHow { Flags = (ulong)(ORdonly | ODirectory | OCloexec), Resolve = ResolveInRoot | ResolveNoMagiclinks | ResolveNoXdev };
        fixed (byte* bytes = Encoding.UTF8.GetBytes(path + "\0"))
        {
            long fd;
            var attempts = 0;

            // EAGAIN: a rename elsewhere in the tree raced a ".." lookup; the kernel asks for a retry.
            while ((fd = syscall(SysOpenat2, (int)_root.DangerousGetHandle(), (long)bytes, (long)&how, sizeof(OpenHow))) < 0
                && Marshal.GetLastPInvokeError() is Eagain or Eintr
                && ++attempts < 64)
            {
            }

            return (int)fd;
        }
    }
}
