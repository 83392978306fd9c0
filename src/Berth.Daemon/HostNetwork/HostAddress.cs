using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Berth.Daemon.Networking;

namespace Berth.Daemon.HostNetwork;

/// <summary>An address the host has on a bridge, with its prefix length (10.10.0.1/24): host bits set, unlike <see cref="IpSubnet"/>.</summary>
public sealed record HostAddress(IPAddress Address, int PrefixLength, IpSubnet Subnet)
{
    public bool IsIpv4 => Address.AddressFamily == AddressFamily.InterNetwork;

    /// <summary>Parses "10.10.0.1/24" or "2001:db8:1::1/64"; the error says what is wrong.</summary>
    public static bool TryParse(string text, out HostAddress? address, out string error)
    {
        ArgumentNullException.ThrowIfNull(text);
        address = null;
        var parts = text.Split('/');
        var plain = parts[0].Length > 0 && parts[0].All(c => char.IsAsciiHexDigit(c) || c is '.' or ':')
            && (parts[0].Contains(':', StringComparison.Ordinal) || parts[0].Count(c => c == '.') == 3);
        if (parts.Length != 2 || !plain || !IPAddress.TryParse(parts[0], out var ip)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix))
        {
            error = $"'{text}' is not an address with a prefix length such as 10.10.0.1/24 or 2001:db8:1::1/64";
            return false;
        }

        var bytes = ip.GetAddressBytes();
        if (prefix > bytes.Length * 8)
        {
            error = $"'{text}': the prefix length must be at most {(bytes.Length * 8).ToString(CultureInfo.InvariantCulture)}";
            return false;
        }

        for (var bit = prefix; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        if (!IpSubnet.TryParse($"{new IPAddress(bytes)}/{prefix.ToString(CultureInfo.InvariantCulture)}", out var subnet, out error))
        {
            return false;
        }

        address = new HostAddress(ip, prefix, subnet!);
        return true;
    }

    public override string ToString() => $"{Address}/{PrefixLength.ToString(CultureInfo.InvariantCulture)}";
}
