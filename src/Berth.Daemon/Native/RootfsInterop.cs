using System.Runtime.InteropServices;

namespace Berth.Daemon.Native;

/// <summary>The *at calls that resolve paths relative to a directory descriptor, and openat2, which glibc 2.36 does not wrap.</summary>
internal static unsafe partial class RootfsInterop
{
    private const string Library = "libc";

    public const long SysOpenat2 = 437;

    public const int ORdonly = 0x0;
    public const int OWronly = 0x1;
    public const int OCreat = 0x40;
    public const int OExcl = 0x80;
    public const int ONoctty = 0x100;
    public const int ONonblock = 0x800;
    public const int OCloexec = 0x80000;
    public const int OPath = 0x200000;

    // The only open flags whose values differ between x86-64 and arm64.
    public static readonly int ODirectory = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 0x4000 : 0x10000;
    public static readonly int ONofollow = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 0x8000 : 0x20000;

    public const ulong ResolveNoMagiclinks = 0x02;
    public const ulong ResolveNoSymlinks = 0x04;
    public const ulong ResolveBeneath = 0x08;

    public const int AtFdcwd = -100;
    public const int AtSymlinkNofollow = 0x100;
    public const int AtEmptyPath = 0x1000;
    public const uint StatxType = 0x1;
    public const uint StatxSize = 0x200;

    public const int Eperm = 1;
    public const int Enoent = 2;
    public const int Eintr = 4;
    public const int Eagain = 11;
    public const int Eexist = 17;
    public const int Exdev = 18;
    public const int Enotdir = 20;
    public const int Eisdir = 21;
    public const int Einval = 22;
    public const int Enosys = 38;
    public const int Eloop = 40;

    public const ushort SIfmt = 0xF000;
    public const ushort SIfreg = 0x8000;
    public const ushort SIfdir = 0x4000;
    public const ushort SIflnk = 0xA000;

    [LibraryImport(Library, SetLastError = true)]
    public static partial long syscall(long number, long a1, long a2, long a3, long a4);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int openat(int directory, string path, int flags, uint mode);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mkdirat(int directory, string path, uint mode);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int unlinkat(int directory, string path, int flags);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int renameat(int fromDirectory, string from, int toDirectory, string to);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int fchownat(int directory, string path, uint owner, uint group, int flags);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int statx(int directory, string path, int flags, uint mask, StatxBuffer* buffer);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int fchmod(int fd, uint mode);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int fchown(int fd, uint owner, uint group);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int fsync(int fd);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int fcntl(int fd, int command, int argument);

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint fdopendir(int fd);

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint readdir(nint directory);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int closedir(nint directory);

    /// <summary>struct open_how.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }

    /// <summary>struct statx, the same on every architecture; only the fields read here are named.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    public struct StatxBuffer
    {
        [FieldOffset(28)]
        public ushort Mode;

        [FieldOffset(40)]
        public ulong Size;
    }

    /// <summary>Where struct dirent64 keeps d_type and d_name (after d_ino, d_off and d_reclen).</summary>
    public const int DirentTypeOffset = 18;
    public const int DirentNameOffset = 19;
}
