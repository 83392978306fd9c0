using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Win32.SafeHandles;
using static Berth.Daemon.Native.RootfsInterop;

namespace Berth.Daemon.Native;

/// <summary>
/// A directory of a container's tree held by a descriptor. Every name is used relative to it and never followed
/// (O_NOFOLLOW, AT_SYMLINK_NOFOLLOW, rename and unlink act on the name itself), so a link or a swap the container
/// makes meanwhile can only make a call fail, never reach outside the directory.
/// </summary>
public sealed partial class TreeDirectory : IDisposable
{
    private readonly SafeFileHandle _fd;

    internal TreeDirectory(SafeFileHandle fd, string path)
    {
        _fd = fd;
        Path = path;
    }

    /// <summary>The directory's path as the container names it, for messages.</summary>
    public string Path { get; }

    private int Fd => (int)_fd.DangerousGetHandle();

    /// <summary>The container path of <paramref name="name"/> in this directory.</summary>
    public string PathOf(string name) => name.Length == 0 ? Path : Path == "/" ? "/" + name : $"{Path}/{name}";

    /// <summary>The status of <paramref name="name"/> ("" for this directory), or null when it does not exist.</summary>
    public unsafe TreeStatus? Stat(string name)
    {
        FullStatx buffer;
        if (statx(Fd, name, AtSymlinkNofollow | (name.Length == 0 ? AtEmptyPath : 0), StatxBasicStats, &buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno == Enoent ? null : throw Fault(errno, name, "look at");
        }

        return ToStatus(buffer);
    }

    /// <summary>The status of an open file.</summary>
    public static unsafe TreeStatus Stat(SafeFileHandle file, string path)
    {
        ArgumentNullException.ThrowIfNull(file);
        FullStatx buffer;
        return statx((int)file.DangerousGetHandle(), "", AtEmptyPath, StatxBasicStats, &buffer) == 0
            ? ToStatus(buffer)
            : throw new TreeException(TreeFault.Other, $"cannot look at {path}: {Marshal.GetLastPInvokeErrorMessage()}");
    }

    /// <summary>The subdirectory <paramref name="name"/>, or null when it does not exist; anything else there (a link too) is refused.</summary>
    public TreeDirectory? OpenDirectory(string name)
    {
        var fd = openat(Fd, name, ORdonly | ODirectory | ONofollow | OCloexec, 0);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno == Enoent ? null : throw Fault(errno == Eloop ? Enotdir : errno, name, "open");
        }

        return new TreeDirectory(new SafeFileHandle(fd, ownsHandle: true), PathOf(name));
    }

    /// <summary>The regular file <paramref name="name"/> opened for reading; null when it does not exist; anything else is refused.</summary>
    public SafeFileHandle? OpenFile(string name)
    {
        // Non-blocking, so a FIFO swapped in after a check cannot hang the daemon; the descriptor is checked again.
        var fd = openat(Fd, name, ORdonly | ONofollow | ONonblock | ONoctty | OCloexec, 0);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno == Enoent ? null : throw Fault(errno, name, "read");
        }

        var file = new SafeFileHandle(fd, ownsHandle: true);
        if (Stat(file, PathOf(name)).Type != TreeEntryType.File)
        {
            file.Dispose();
            throw new TreeException(TreeFault.Other, $"{PathOf(name)} is not a regular file");
        }

        return file;
    }

    /// <summary>What the link <paramref name="name"/> points to (never followed).</summary>
    public unsafe string ReadLink(string name)
    {
        var buffer = new byte[4096];
        fixed (byte* bytes = buffer)
        {
            var length = readlinkat(Fd, name, bytes, buffer.Length);
            return length < 0 ? throw Fault(Marshal.GetLastPInvokeError(), name, "read the link") : Encoding.UTF8.GetString(buffer, 0, (int)length);
        }
    }

    /// <summary>The names in this directory.</summary>
    public IReadOnlyList<string> List()
    {
        // fdopendir takes over the descriptor it is given: give it a copy.
        var copy = fcntl(Fd, 1030, 0);
        if (copy < 0)
        {
            throw Fault(Marshal.GetLastPInvokeError(), "", "list");
        }

        var stream = fdopendir(copy);
        if (stream == 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            LibcInterop.close(copy);
            throw Fault(errno, "", "list");
        }

        try
        {
            var names = new List<string>();
            nint entry;
            while ((entry = readdir(stream)) != 0)
            {
                var name = Marshal.PtrToStringUTF8(entry + DirentNameOffset)!;
                if (name is not ("." or ".."))
                {
                    names.Add(name);
                }
            }

            names.Sort(StringComparer.Ordinal);
            return names;
        }
        finally
        {
            closedir(stream);
        }
    }

    /// <summary>A new file under a fresh hidden name next to <paramref name="name"/>, created with O_EXCL; rename it into place with <see cref="Rename"/>.</summary>
    public (string Name, SafeFileHandle File) CreateTemporary(string name)
    {
        for (var attempt = 0; ; attempt++)
        {
            var temp = TemporaryName(name);
            var fd = openat(Fd, temp, OWronly | OCreat | OExcl | ONofollow | OCloexec, 0b110_000_000);
            if (fd >= 0)
            {
                return (temp, new SafeFileHandle(fd, ownsHandle: true));
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno != Eexist || attempt == 8)
            {
                throw Fault(errno, name, "create");
            }
        }
    }

    /// <summary>Renames <paramref name="from"/> to <paramref name="to"/> in this directory, replacing what has that name (a link itself, never what it points to).</summary>
    public void Rename(string from, string to) => Check(renameat(Fd, from, Fd, to), to, "replace");

    /// <summary>Removes the non-directory <paramref name="name"/>; false when it did not exist.</summary>
    public bool Unlink(string name) => Remove(name, 0);

    /// <summary>Removes the empty directory <paramref name="name"/>; false when it did not exist.</summary>
    public bool RemoveDirectory(string name) => Remove(name, AtRemovedir);

    /// <summary>Makes the directory <paramref name="name"/> (owner 0700 until <see cref="SetMode"/>); false when something already had the name.</summary>
    public bool MakeDirectory(string name)
    {
        if (mkdirat(Fd, name, 0b111_000_000) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno == Eexist ? false : throw Fault(errno, name, "create");
    }

    /// <summary>Makes the link <paramref name="name"/> pointing at <paramref name="target"/>, replacing a non-directory with that name.</summary>
    public void Symlink(string target, string name)
    {
        var temp = TemporaryName(name);
        Check(symlinkat(target, Fd, temp), name, "create");
        ReplaceWith(temp, name);
    }

    /// <summary>Makes <paramref name="name"/> another name of <paramref name="fromName"/> in <paramref name="from"/> (a link is linked itself, never followed).</summary>
    public void HardLink(TreeDirectory from, string fromName, string name)
    {
        ArgumentNullException.ThrowIfNull(from);
        var temp = TemporaryName(name);
        Check(linkat(from.Fd, fromName, Fd, temp, 0), name, "link");
        ReplaceWith(temp, name);
    }

    /// <summary>Makes a device node or FIFO <paramref name="name"/> (the process umask applies to <paramref name="mode"/>), replacing a non-directory with that name.</summary>
    public void MakeNode(string name, TreeEntryType type, uint major, uint minor, UnixFileMode mode)
    {
        var kind = type switch
        {
            TreeEntryType.CharacterDevice => SIfchr,
            TreeEntryType.BlockDevice => SIfblk,
            TreeEntryType.Fifo => SIfifo,
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };
        var device = ((ulong)(major & 0xfffff000) << 32) | ((ulong)(major & 0xfff) << 8) | ((ulong)(minor & 0xffffff00) << 12) | (minor & 0xff);
        var temp = TemporaryName(name);
        Check(mknodat(Fd, temp, kind | ((uint)mode & 0xfff), device), name, "create");
        ReplaceWith(temp, name);
    }

    /// <summary>Sets the owners of <paramref name="name"/> ("" for this directory), a link itself if it is one.</summary>
    public void SetOwner(string name, long uid, long gid) =>
        Check(fchownat(Fd, name, (uint)uid, (uint)gid, AtSymlinkNofollow | (name.Length == 0 ? AtEmptyPath : 0)), name, "set the owner of");

    /// <summary>Sets the mode of this directory.</summary>
    public void SetMode(UnixFileMode mode) => Check(fchmod(Fd, (uint)mode), "", "set the mode of");

    /// <summary>Sets the modification time of <paramref name="name"/> ("" for this directory), a link itself if it is one.</summary>
    public unsafe void SetModifiedAt(string name, DateTimeOffset time)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var spec = new TimeSpec { Seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var rest), Nanoseconds = rest * 100 };
        if (spec.Nanoseconds < 0)
        {
            spec = new TimeSpec { Seconds = spec.Seconds - 1, Nanoseconds = spec.Nanoseconds + 1_000_000_000 };
        }

        // atime is left as it is (UTIME_OMIT).
        var times = stackalloc TimeSpec[2] { new TimeSpec { Nanoseconds = (1L << 30) - 2 }, spec };
        Check(utimensat(Fd, name.Length == 0 ? "." : name, times, name.Length == 0 ? 0 : AtSymlinkNofollow), name, "set the time of");
    }

    /// <summary>Sets mode and owners of an open file and flushes it to disk.</summary>
    public static void Finish(SafeFileHandle file, string path, UnixFileMode mode, long uid, long gid)
    {
        ArgumentNullException.ThrowIfNull(file);
        var fd = (int)file.DangerousGetHandle();

        // Owners first: chown clears the setuid and setgid bits the mode may ask for.
        if (fchown(fd, (uint)uid, (uint)gid) < 0 || fchmod(fd, (uint)mode) < 0 || fsync(fd) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new TreeException(FaultOf(errno), $"cannot write {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
    }

    /// <summary>Flushes this directory's entries (a rename into it) to disk.</summary>
    public void Sync() => fsync(Fd);

    public void Dispose() => _fd.Dispose();

    internal static TreeFault FaultOf(int errno) => errno switch
    {
        Enoent => TreeFault.NotFound,
        Enotdir => TreeFault.NotADirectory,
        Eisdir => TreeFault.IsADirectory,
        Eexist => TreeFault.Exists,
        Enotempty => TreeFault.NotEmpty,
        Enospc or Edquot => TreeFault.NoSpace,
        Eloop or Exdev => TreeFault.Unsafe,
        _ => TreeFault.Other,
    };

    private static string TemporaryName(string name) =>
        $".{(name.Length > 200 ? name[..200] : name)}.berth-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";

    /// <summary>Moves the new <paramref name="temp"/> over <paramref name="name"/>, removing it again when that fails.</summary>
    private void ReplaceWith(string temp, string name)
    {
        if (renameat(Fd, temp, Fd, name) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            unlinkat(Fd, temp, 0);
            throw Fault(errno, name, "replace");
        }
    }

    private bool Remove(string name, int flags)
    {
        if (unlinkat(Fd, name, flags) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno == Enoent ? false : throw Fault(errno, name, "delete");
    }

    private void Check(int result, string name, string action)
    {
        if (result < 0)
        {
            throw Fault(Marshal.GetLastPInvokeError(), name, action);
        }
    }

    private TreeException Fault(int errno, string name, string action)
    {
        var what = errno switch
        {
            Eisdir => "it is a directory",
            Enotdir => "it is not a directory",
            Enotempty => "the directory is not empty",
            _ => Marshal.GetPInvokeErrorMessage(errno),
        };
        return new TreeException(FaultOf(errno), $"cannot {action} {PathOf(name)}: {what}");
    }

    private static TreeStatus ToStatus(FullStatx s) => new(
        (s.Mode & SIfmt) switch
        {
            SIfreg => TreeEntryType.File,
            SIfdir => TreeEntryType.Directory,
            SIflnk => TreeEntryType.Symlink,
            var m when m == SIfchr => TreeEntryType.CharacterDevice,
            var m when m == SIfblk => TreeEntryType.BlockDevice,
            var m when m == SIfifo => TreeEntryType.Fifo,
            _ => TreeEntryType.Socket,
        },
        (UnixFileMode)(s.Mode & 0xfff),
        s.Uid,
        s.Gid,
        (long)s.Size,
        DateTimeOffset.FromUnixTimeSeconds(s.MtimeSeconds).AddTicks(s.MtimeNanoseconds / 100),
        ((ulong)s.DevMajor << 32) | s.DevMinor,
        s.Inode,
        s.Links,
        s.RdevMajor,
        s.RdevMinor);
}
