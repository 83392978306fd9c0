using System.Net;
using System.Net.Sockets;

namespace Berth.Daemon.Networking;

/// <summary>Whether a host service already uses a port: found out by trying to bind it (and letting go at once).</summary>
public static class HostPorts
{
    public static bool IsFree(string protocol, int port, IPAddress? address)
    {
        try
        {
            if (protocol == "udp")
            {
                using var udp = new Socket(address?.AddressFamily ?? AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                udp.Bind(new IPEndPoint(address ?? IPAddress.Any, port));
            }
            else
            {
                using var tcp = new Socket(address?.AddressFamily ?? AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                tcp.Bind(new IPEndPoint(address ?? IPAddress.Any, port));
                tcp.Listen(1);
            }

            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
