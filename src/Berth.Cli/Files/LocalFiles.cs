using System.Runtime.InteropServices;

namespace Berth.Cli.Files;

/// <summary>The C library calls for local trees that .NET does not offer: lstat with inode and owners, lchown, mknod.</summary>
internal static partial class LocalFiles
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7ff;

    public static bool IsRoot => geteuid() == 0;

    /// <summary>lstat: the entry itself, never what a link points to; null when it does not exist.</summary>
    public static LocalStatus? Stat(string path)
    {
        if (statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, out var s) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno == 2 ? null : throw new IOException($"cannot look at {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        return new LocalStatus(s.Mode, s.Uid, s.Gid, (long)s.Size, ((ulong)s.DevMajor << 32) | s.DevMinor, s.Inode, s.Links, s.RdevMajor, s.RdevMinor, DateTimeOffset.FromUnixTimeSeconds(s.MtimeSeconds).AddTicks(s.MtimeNanoseconds / 100));
    }

    public static void SetOwner(string path, long uid, long gid)
    {
        if (lchown(path, (uint)uid, (uint)gid) != 0)
        {
            throw new IOException($"cannot set the owner of {path}: {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    public static void MakeNode(string path, uint type, UnixFileMode mode, uint major, uint minor)
    {
        var device = ((ulong)(major & 0xfffff000) << 32) | ((ulong)(major & 0xfff) << 8) | ((ulong)(minor & 0xffffff00) << 12) | (minor & 0xff);
        if (mknod(path, type | ((uint)mode & 0xfff), device) != 0)
        {
            throw new IOException($"cannot create {path}: {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    public static void HardLink(string existing, string path)
    {
        if (link(existing, path) != 0)
        {
            throw new IOException($"cannot link {path} to {existing}: {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int link(string existing, string path);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int statx(int dirfd, string path, int flags, uint mask, out Statx status);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int lchown(string path, uint owner, uint group);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int mknod(string path, uint mode, ulong device);

    [LibraryImport("libc")]
    private static partial uint geteuid();

    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct Statx
    {
        [FieldOffset(16)]
        public uint Links;
        [FieldOffset(20)]
        public uint Uid;
        [FieldOffset(24)]
        public uint Gid;
        [FieldOffset(28)]
        public ushort Mode;
        [FieldOffset(32)]
        public ulong Inode;
        [FieldOffset(40)]
        public ulong Size;
        [FieldOffset(112)]
        public long MtimeSeconds;
        [FieldOffset(120)]
        public uint MtimeNanoseconds;
        [FieldOffset(128)]
        public uint RdevMajor;
        [FieldOffset(132)]
        public uint RdevMinor;
        [FieldOffset(136)]
        public uint DevMajor;
        [FieldOffset(140)]
        public uint DevMinor;
    }
}
