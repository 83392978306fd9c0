using System.Net.Sockets;
using Berth.Daemon.Native;

namespace Berth.Daemon.Hosting;

/// <summary>
/// The API's Unix socket, bound before Kestrel starts under umask 0177 so it is 0600 from the moment it exists
/// (a chmod after Kestrel's own bind left it open to everyone under a lax umask). Kestrel takes over the descriptor.
/// </summary>
public static class ApiSocket
{
    // Never disposed nor finalized: disposing a Socket deletes the file it bound.
    private static Socket? _bound;

    /// <summary>Binds <paramref name="path"/> (replacing a stale socket) and returns the listening descriptor for Kestrel's ListenHandle.</summary>
    public static ulong Bind(string path)
    {
        File.Delete(path);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            FileCreationMask.With(0b001_111_111, () =>
            {
                socket.Bind(new UnixDomainSocketEndPoint(path));
                return 0;
            });
            socket.Listen(512);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        // Kestrel owns the descriptor from here: this Socket must never close it.
        _bound = socket;
        var descriptor = (ulong)socket.SafeHandle.DangerousGetHandle();
        socket.SafeHandle.SetHandleAsInvalid();
        return descriptor;
    }
}
