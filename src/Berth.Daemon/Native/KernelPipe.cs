using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Berth.Daemon.Native;

/// <summary>
/// Kernel pipes for connecting children: both ends close-on-exec, so a child keeps only the end posix_spawn puts on
/// its stdio, and above descriptor 2, so putting one end there never overwrites another.
/// </summary>
public static unsafe class KernelPipe
{
    public static (SafePipeHandle Read, SafePipeHandle Write) Create()
    {
        var fds = stackalloc int[2];
        if (LibcInterop.pipe2(fds, LibcInterop.OCloexec) != 0)
        {
            throw new IOException($"cannot create a pipe: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        SafePipeHandle? read = null;
        try
        {
            read = Own(fds[0]);
        }
        finally
        {
            if (read is null)
            {
                LibcInterop.close(fds[1]);
            }
        }

        try
        {
            return (read, Own(fds[1]));
        }
        catch
        {
            read.Dispose();
            throw;
        }
    }

    /// <summary>Whether everyone who could read the pipe has closed it, so a write to <paramref name="write"/> would fail.</summary>
    public static bool ReadersGone(SafePipeHandle write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var added = false;
        try
        {
            write.DangerousAddRef(ref added);
            var fd = new LibcInterop.PollFd { Fd = (int)write.DangerousGetHandle(), Events = LibcInterop.Pollout };
            return LibcInterop.poll(&fd, 1, 0) > 0 && (fd.ReturnedEvents & LibcInterop.Pollerr) != 0;
        }
        finally
        {
            if (added)
            {
                write.DangerousRelease();
            }
        }
    }

    private static SafePipeHandle Own(int fd)
    {
        if (fd > 2)
        {
            return new SafePipeHandle(fd, ownsHandle: true);
        }

        // The daemon was started without some of stdin, stdout and stderr; keep those numbers free for children.
        var moved = LibcInterop.fcntl(fd, LibcInterop.FDupfdCloexec, 3);
        var error = Marshal.GetLastPInvokeErrorMessage();
        LibcInterop.close(fd);
        return moved < 0 ? throw new IOException($"cannot create a pipe: {error}") : new SafePipeHandle(moved, ownsHandle: true);
    }
}
