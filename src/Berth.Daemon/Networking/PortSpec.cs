using System.Globalization;
using Berth.Daemon.Api;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Networking;

/// <summary>Parses HOST:CONTAINER/PROTO port specifications (single ports or equal ranges).</summary>
public static class PortSpec
{
    public static (string Protocol, int HostPort, int HostPortEnd, int ContainerPort, int ContainerPortEnd) Parse(string? text)
    {
        var bad = DomainError.Invalid("Invalid port forward", $"'{text}' is not HOST:CONTAINER/PROTOCOL such as 8080:80/tcp, 5353:53/udp or 8000-8010:8000-8010/tcp; ports are 1-65535.");
        var slash = (text ?? "").Split('/');
        var protocol = slash.Length == 2 ? slash[1] : "";
        if (protocol is not ("tcp" or "udp"))
        {
            throw bad;
        }

        var sides = slash[0].Split(':');
        if (sides.Length != 2 || !TryRange(sides[0], out var host, out var hostEnd) || !TryRange(sides[1], out var container, out var containerEnd))
        {
            throw bad;
        }

        if (hostEnd - host != containerEnd - container)
        {
            throw DomainError.Invalid("Invalid port forward", $"'{text}': the host and container ranges must have the same length.");
        }

        if (hostEnd != host && host != container)
        {
            throw DomainError.Invalid("Invalid port forward", $"'{text}': a range is forwarded to the same ports in the container, e.g. 8000-8010:8000-8010/tcp.");
        }

        return (protocol, host, hostEnd, container, containerEnd);
    }

    private static bool TryRange(string text, out int first, out int last)
    {
        var parts = text.Split('-');
        first = last = 0;
        if (parts.Length is < 1 or > 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out first))
        {
            return false;
        }

        last = first;
        if (parts.Length == 2 && !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out last))
        {
            return false;
        }

        return first is >= 1 and <= 65535 && last >= first && last <= 65535;
    }
}
