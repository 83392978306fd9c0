namespace Berth.Daemon.Networking;

/// <summary>
/// Host ports that the host's own services use by convention. A forward of one of them would take the port from the
/// host the moment that service (re)starts, or hide it (an SSH port forward of 22 locks the admin out), so adding one
/// needs an explicit force, even when nothing listens there right now.
/// </summary>
public static class HostServicePorts
{
    private static readonly (int Port, string Protocol, string Service)[] Reserved =
    [
        (22, "tcp", "SSH"),
        (53, "tcp", "DNS"),
        (53, "udp", "DNS"),
        (67, "udp", "DHCP"),
        (68, "udp", "DHCP"),
        (111, "tcp", "rpcbind"),
        (111, "udp", "rpcbind"),
        (123, "udp", "NTP"),
        (323, "udp", "chrony"),
        (546, "udp", "DHCPv6"),
        (547, "udp", "DHCPv6"),
    ];

    /// <summary>The service that conventionally owns a port of <paramref name="protocol"/> in the range, or null.</summary>
    public static (int Port, string Service)? Find(string protocol, int first, int last)
    {
        foreach (var (port, p, service) in Reserved)
        {
            if (p == protocol && port >= first && port <= last)
            {
                return (port, service);
            }
        }

        return null;
    }
}
