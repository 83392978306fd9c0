using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Berth.Daemon.Native;

/// <summary>
/// Mounts a directory at another place with its owners shifted through a user namespace's id map (an idmapped bind
/// mount): files owned by 0 on disk appear owned by the namespace's host id for root. The data stays unshifted.
/// </summary>
public static unsafe class IdmappedMount
{
    /// <summary>Binds <paramref name="source"/> onto <paramref name="target"/> idmapped through the user namespace <paramref name="userNamespace"/>.</summary>
    public static void Create(string source, string target, SafeFileHandle userNamespace)
    {
        ArgumentNullException.ThrowIfNull(userNamespace);
        var tree = OpenTree(source);
        try
        {
            var attr = new MountInterop.MountAttr { AttrSet = MountInterop.MountAttrIdmap, UsernsFd = (ulong)userNamespace.DangerousGetHandle() };
            fixed (byte* empty = "\0"u8)
            {
                Check(MountInterop.syscall(MountInterop.SysMountSetattr, tree, (long)empty, MountInterop.AtEmptyPath, (long)&attr, sizeof(MountInterop.MountAttr)), $"idmap the mount of {source}");
                fixed (byte* to = Encoding.UTF8.GetBytes(target + "\0"))
                {
                    Check(MountInterop.syscall(MountInterop.SysMoveMount, tree, (long)empty, MountInterop.AtFdcwd, (long)to, MountInterop.MoveMountFEmptyPath), $"mount {source} at {target}");
                }
            }
        }
        finally
        {
            LibcInterop.close((int)tree);
        }
    }

    private static long OpenTree(string source)
    {
        fixed (byte* path = Encoding.UTF8.GetBytes(source + "\0"))
        {
            var fd = MountInterop.syscall(MountInterop.SysOpenTree, MountInterop.AtFdcwd, (long)path, MountInterop.OpenTreeClone | MountInterop.OpenTreeCloexec, 0, 0);
            Check(fd, $"open {source} for an idmapped mount");
            return fd;
        }
    }

    private static void Check(long result, string action)
    {
        if (result < 0)
        {
            throw new IOException($"cannot {action}: {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }
}
