using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;
using static Berth.Daemon.Native.RootfsInterop;

namespace Berth.Daemon.Native;

/// <summary>Resolving directories below the root without following links: openat2, or one component at a time.</summary>
public sealed partial class RootfsDirectory
{
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
}
