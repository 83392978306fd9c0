using System.Runtime.InteropServices;

namespace Berth.Daemon.Native;

/// <summary>The further *at calls the files API needs: links, device nodes, times and full status.</summary>
internal static unsafe partial class RootfsInterop
{
    public const ulong ResolveNoXdev = 0x01;
    public const ulong ResolveInRoot = 0x10;
    public const int AtRemovedir = 0x200;
    public const uint StatxBasicStats = 0x7ff;

    public const int Enospc = 28;
    public const int Edquot = 122;
    public const int Enotempty = 39;
    public const int Emlink = 31;

    public const uint SIfchr = 0x2000;
    public const uint SIfblk = 0x6000;
    public const uint SIfifo = 0x1000;
    public const uint SIfsock = 0xC000;

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint readlinkat(int directory, string path, byte* buffer, nint size);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int symlinkat(string target, int directory, string path);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int linkat(int fromDirectory, string from, int toDirectory, string to, int flags);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mknodat(int directory, string path, uint mode, ulong device);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int utimensat(int directory, string path, TimeSpec* times, int flags);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int statx(int directory, string path, int flags, uint mask, FullStatx* buffer);

    /// <summary>struct timespec on 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    /// <summary>struct statx with the fields the files API reports.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    public struct FullStatx
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
