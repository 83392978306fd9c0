using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Win32.SafeHandles;
using static Berth.Daemon.Native.RootfsInterop;

namespace Berth.Daemon.Native;

/// <summary>
/// A root filesystem whose contents a container controls, opened once as a directory descriptor. Every path below it
/// is resolved relative to that descriptor and never through a symbolic link (openat2 with RESOLVE_NO_SYMLINKS, or
/// O_NOFOLLOW at each step on kernels without openat2); files are written under a fresh name created with O_EXCL and
/// renamed into place; modes and owners are set on descriptors. So nothing planted in the tree, even while Berth works
/// on it, can turn a write, read, chmod, chown or delete into one on a host file.
/// </summary>
public sealed class RootfsDirectory : IDisposable
{
    /// <summary>Files Berth reads back (authorized_keys, machine-id) are small; a larger one is refused, not loaded.</summary>
    public const int MaxReadBytes = 16 << 20;

    private const int FDupfdCloexec = 1030;
    private static volatile bool s_kernelLacksOpenat2;

    private readonly SafeFileHandle _root;
    private readonly long? _owner;
    private readonly bool _useOpenat2;

    private RootfsDirectory(SafeFileHandle root, long? owner, bool useOpenat2)
    {
        _root = root;
        _owner = owner;
        _useOpenat2 = useOpenat2;
    }

    /// <summary>Opens the tree at <paramref name="path"/> (a host path Berth chose); new files and directories get owner and group <paramref name="owner"/> when given.</summary>
    public static RootfsDirectory Open(string path, long? owner = null) => Open(path, owner, useOpenat2: true);

    /// <summary>As <see cref="Open(string, long?)"/>; <paramref name="useOpenat2"/> false walks component by component, as on kernels before 5.6.</summary>
    internal static RootfsDirectory Open(string path, long? owner, bool useOpenat2)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fd = RootfsInterop.open(path, OPath | ODirectory | ONofollow | OCloexec);
        if (fd < 0)
        {
            throw new IOException($"cannot open {path}: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        return new RootfsDirectory(new SafeFileHandle(fd, ownsHandle: true), owner, useOpenat2);
    }

    /// <summary>Replaces (or creates) <paramref name="relativePath"/> with <paramref name="content"/> in one rename, creating missing directories with <paramref name="directoryMode"/>.</summary>
    public void Write(string relativePath, ReadOnlySpan<byte> content, UnixFileMode mode, UnixFileMode directoryMode)
    {
        var parts = Components(relativePath);
        using var directory = OpenDirectory(parts, parts.Length - 1, directoryMode)!;
        var name = parts[^1];
        var (temp, file) = CreateTemporary(directory, parts);
        using (file)
        {
            try
            {
                RandomAccess.Write(file, content, 0);
                Check(fchmod(Fd(file), (uint)mode), parts, parts.Length, "set the mode of");
                if (_owner is { } owner)
                {
                    Check(fchown(Fd(file), (uint)owner, (uint)owner), parts, parts.Length, "set the owner of");
                }

                Check(fsync(Fd(file)), parts, parts.Length, "write");

                // rename() replaces whatever has the name, a symbolic link included, and never what it points to.
                Check(renameat(Fd(directory), temp, Fd(directory), name), parts, parts.Length, "replace");
            }
            catch
            {
                unlinkat(Fd(directory), temp, 0);
                throw;
            }
        }

        fsync(Fd(directory));
    }

    /// <summary>The content of a regular file, or null when it (or a directory on the way) does not exist.</summary>
    public byte[]? Read(string relativePath)
    {
        var parts = Components(relativePath);
        using var directory = OpenDirectory(parts, parts.Length - 1, null);
        var kind = directory is null ? RootfsEntryKind.Missing : KindAt(directory, parts[^1]);
        if (kind == RootfsEntryKind.Missing)
        {
            return null;
        }

        RequireRegular(kind, parts);

        // Non-blocking, so a FIFO swapped in after the check cannot hang the daemon; the descriptor is checked again.
        var fd = openat(Fd(directory!), parts[^1], ORdonly | ONofollow | ONonblock | ONoctty | OCloexec, 0);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno == Enoent ? null : throw Failure(errno, parts, parts.Length, "read");
        }

        using var file = new SafeFileHandle(fd, ownsHandle: true);
        RequireRegular(KindAt(file, ""), parts);
        using var buffer = new MemoryStream();
        var chunk = new byte[65536];
        int read;
        while ((read = RandomAccess.Read(file, chunk, buffer.Length)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxReadBytes)
            {
                throw new IOException($"/{relativePath} is larger than {MaxReadBytes >> 20} MiB; Berth does not read it");
            }
        }

        return buffer.ToArray();
    }

    /// <summary>What <paramref name="relativePath"/> is, without following it; a link on the way there is refused.</summary>
    public RootfsEntryKind Kind(string relativePath)
    {
        var parts = Components(relativePath);
        using var directory = OpenDirectory(parts, parts.Length - 1, null);
        return directory is null ? RootfsEntryKind.Missing : KindAt(directory, parts[^1]);
    }

    /// <summary>Removes the name <paramref name="relativePath"/> (a file or a link itself, never what a link points to); false when it did not exist.</summary>
    public bool Delete(string relativePath)
    {
        var parts = Components(relativePath);
        using var directory = OpenDirectory(parts, parts.Length - 1, null);
        if (directory is null)
        {
            return false;
        }

        if (unlinkat(Fd(directory), parts[^1], 0) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno == Enoent ? false : throw Failure(errno, parts, parts.Length, "delete");
    }

    /// <summary>The names in the directory <paramref name="relativePath"/>, or null when it does not exist.</summary>
    public IReadOnlyList<string>? List(string relativePath)
    {
        var parts = Components(relativePath);
        using var directory = OpenDirectory(parts, parts.Length, null);
        if (directory is null)
        {
            return null;
        }

        // fdopendir takes over the descriptor it is given: give it a copy.
        var copy = fcntl(Fd(directory), FDupfdCloexec, 0);
        Check(copy, parts, parts.Length, "list");
        var stream = fdopendir(copy);
        if (stream == 0)
        {
            LibcInterop.close(copy);
            throw Failure(Marshal.GetLastPInvokeError(), parts, parts.Length, "list");
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

            return names;
        }
        finally
        {
            closedir(stream);
        }
    }

    /// <summary>Gives <paramref name="relativePath"/> (a link itself, if it is one) to the tree's owner; nothing when the tree has none.</summary>
    public void Own(string relativePath)
    {
        var parts = Components(relativePath);
        if (_owner is not { } owner)
        {
            return;
        }

        using var directory = OpenDirectory(parts, parts.Length - 1, null)
            ?? throw new FileNotFoundException($"/{relativePath} does not exist");
        Check(fchownat(Fd(directory), parts[^1], (uint)owner, (uint)owner, AtSymlinkNofollow), parts, parts.Length, "set the owner of");
    }

    public void Dispose() => _root.Dispose();

    private static int Fd(SafeFileHandle handle) => (int)handle.DangerousGetHandle();

    private static string[] Components(string relativePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(relativePath);
        var parts = relativePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (relativePath[0] == '/' || parts.Length == 0 || parts.Any(p => p is "." or ".." || p.Contains('\0', StringComparison.Ordinal)))
        {
            throw new ArgumentException($"'{relativePath}' must be a relative path inside the root filesystem, without '.' or '..'", nameof(relativePath));
        }

        return parts;
    }

    /// <summary>The directory made of the first <paramref name="count"/> components, created with <paramref name="create"/> where missing; null when missing and not to be created.</summary>
    private SafeFileHandle? OpenDirectory(string[] parts, int count, UnixFileMode? create)
    {
        ObjectDisposedException.ThrowIf(_root.IsClosed, this);
        if (count > 0 && _useOpenat2 && !s_kernelLacksOpenat2)
        {
            var fd = Openat2(string.Join('/', parts, 0, count), ORdonly | ODirectory | OCloexec);
            if (fd >= 0)
            {
                return new SafeFileHandle(fd, ownsHandle: true);
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno == Enosys)
            {
                s_kernelLacksOpenat2 = true;
            }
            else if (errno == Enoent && create is null)
            {
                return null;
            }
            else if (errno != Enoent)
            {
                throw Failure(errno, parts, count, "open");
            }
        }

        return Walk(parts, count, create);
    }

    /// <summary>One component at a time, each opened with O_NOFOLLOW relative to the one before: for kernels without openat2, and to create directories.</summary>
    private SafeFileHandle? Walk(string[] parts, int count, UnixFileMode? create)
    {
        var first = openat(Fd(_root), ".", ORdonly | ODirectory | OCloexec, 0);
        Check(first, parts, 0, "open");
        var current = new SafeFileHandle(first, ownsHandle: true);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var fd = openat(Fd(current), parts[i], ORdonly | ODirectory | ONofollow | OCloexec, 0);
                var errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
                var created = false;
                if (errno == Enoent && create is not null)
                {
                    created = mkdirat(Fd(current), parts[i], 0b111_000_000) == 0;
                    if (!created && Marshal.GetLastPInvokeError() is var mkdirErrno && mkdirErrno != Eexist)
                    {
                        throw Failure(mkdirErrno, parts, i + 1, "create");
                    }

                    fd = openat(Fd(current), parts[i], ORdonly | ODirectory | ONofollow | OCloexec, 0);
                    errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
                }

                if (fd < 0)
                {
                    if (errno == Enoent && create is null)
                    {
                        current.Dispose();
                        return null;
                    }

                    throw Failure(errno, parts, i + 1, "open");
                }

                current.Dispose();
                current = new SafeFileHandle(fd, ownsHandle: true);
                if (created)
                {
                    Check(fchmod(fd, (uint)create!.Value), parts, i + 1, "set the mode of");
                    if (_owner is { } owner)
                    {
                        Check(fchown(fd, (uint)owner, (uint)owner), parts, i + 1, "set the owner of");
                    }
                }
            }

            return current;
        }
        catch
        {
            current.Dispose();
            throw;
        }
    }

    private unsafe int Openat2(string path, int flags)
    {
        var how = new OpenHow { Flags = (ulong)flags, Resolve = ResolveBeneath | ResolveNoSymlinks | ResolveNoMagiclinks };
        fixed (byte* bytes = Encoding.UTF8.GetBytes(path + "\0"))
        {
            long fd;
            var attempts = 0;

            // EAGAIN: a rename elsewhere in the tree raced the lookup; the kernel asks for a retry.
            while ((fd = syscall(SysOpenat2, Fd(_root), (long)bytes, (long)&how, sizeof(OpenHow))) < 0
                && Marshal.GetLastPInvokeError() is Eagain or Eintr
                && ++attempts < 16)
            {
            }

            return (int)fd;
        }
    }

    private (string Name, SafeFileHandle File) CreateTemporary(SafeFileHandle directory, string[] parts)
    {
        for (var attempt = 0; ; attempt++)
        {
            var name = $".{parts[^1]}.berth-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";
            var fd = openat(Fd(directory), name, OWronly | OCreat | OExcl | ONofollow | OCloexec, 0b110_000_000);
            if (fd >= 0)
            {
                return (name, new SafeFileHandle(fd, ownsHandle: true));
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno != Eexist || attempt == 8)
            {
                throw Failure(errno, parts, parts.Length, "create");
            }
        }
    }

    private static unsafe RootfsEntryKind KindAt(SafeFileHandle directory, string name)
    {
        StatxBuffer buffer;
        if (statx(Fd(directory), name, AtSymlinkNofollow | (name.Length == 0 ? AtEmptyPath : 0), StatxType, &buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno is Enoent or Enotdir ? RootfsEntryKind.Missing : throw new IOException($"cannot look at {name}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        return (buffer.Mode & SIfmt) switch
        {
            SIfreg => RootfsEntryKind.File,
            SIfdir => RootfsEntryKind.Directory,
            SIflnk => RootfsEntryKind.Link,
            _ => RootfsEntryKind.Other,
        };
    }

    private static void RequireRegular(RootfsEntryKind kind, string[] parts)
    {
        if (kind == RootfsEntryKind.Link)
        {
            throw Unsafe(parts, parts.Length);
        }

        if (kind != RootfsEntryKind.File)
        {
            throw new IOException($"/{string.Join('/', parts)} is not a regular file");
        }
    }

    private void Check(int result, string[] parts, int count, string action)
    {
        if (result < 0)
        {
            throw Failure(Marshal.GetLastPInvokeError(), parts, count, action);
        }
    }

    /// <summary>The one place errors become exceptions: a link (or a way out of the tree) is named as such, the rest keep the system's words.</summary>
    private IOException Failure(int errno, string[] parts, int count, string action)
    {
        if (errno is Eloop or Exdev or Enotdir)
        {
            // Find the component that is not a real directory, looking at each without following it.
            var current = new SafeFileHandle(openat(Fd(_root), ".", OPath | ODirectory | OCloexec, 0), ownsHandle: true);
            try
            {
                for (var i = 0; i < count && !current.IsInvalid; i++)
                {
                    var next = openat(Fd(current), parts[i], OPath | ONofollow | OCloexec, 0);
                    current.Dispose();
                    current = new SafeFileHandle(next, ownsHandle: true);
                    var kind = current.IsInvalid ? RootfsEntryKind.Missing : KindAt(current, "");
                    if (kind == RootfsEntryKind.Link)
                    {
                        return Unsafe(parts, i + 1);
                    }

                    if (kind is not (RootfsEntryKind.Directory or RootfsEntryKind.Missing) && i < parts.Length - 1)
                    {
                        return new IOException($"cannot {action} /{string.Join('/', parts)}: /{string.Join('/', parts, 0, i + 1)} is not a directory");
                    }
                }
            }
            finally
            {
                current.Dispose();
            }

            if (errno != Enotdir)
            {
                // The link was swapped back before it could be seen: still one.
                return Unsafe(parts, count);
            }
        }

        var what = errno == Eisdir ? "is a directory" : Marshal.GetPInvokeErrorMessage(errno);
        return new IOException($"cannot {action} /{string.Join('/', parts)}: {what}");
    }

    private static UnsafeRootfsPathException Unsafe(string[] parts, int count) =>
        new($"/{string.Join('/', parts, 0, count)} is a symbolic link inside the container{(count < parts.Length ? $" (on the way to /{string.Join('/', parts)})" : "")}");
}
