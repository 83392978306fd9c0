using System.Runtime.InteropServices;

namespace Berth.Daemon.Native;

/// <summary>The new mount API (open_tree, mount_setattr, move_mount), for idmapped mounts. glibc 2.36 has no wrappers, so raw syscalls.</summary>
internal static unsafe partial class MountInterop
{
    public const long SysOpenTree = 428;
    public const long SysMoveMount = 429;
    public const long SysMountSetattr = 442;
    public const int AtFdcwd = -100;
    public const uint OpenTreeClone = 1;
    public const uint OpenTreeCloexec = 0x80000;
    public const uint AtEmptyPath = 0x1000;
    public const uint AtRecursive = 0x8000;
    public const ulong MountAttrIdmap = 0x00100000;
    public const uint MoveMountFEmptyPath = 0x4;

    [LibraryImport("libc", SetLastError = true)]
    public static partial long syscall(long number, long a1, long a2, long a3, long a4, long a5);

    [StructLayout(LayoutKind.Sequential)]
    public struct MountAttr
    {
        public ulong AttrSet;
        public ulong AttrClear;
        public ulong Propagation;
        public ulong UsernsFd;
    }
}
