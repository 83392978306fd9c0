using System.Runtime.InteropServices;
using System.Security.Cryptography;
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
public sealed partial class RootfsDirectory : IDisposable
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
}
