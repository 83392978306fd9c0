using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using static Berth.Daemon.Native.RootfsInterop;

namespace Berth.Daemon.Native;

/// <summary>Where system errors become the exceptions callers see, naming the link when there is one.</summary>
public sealed partial class RootfsDirectory
{
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
