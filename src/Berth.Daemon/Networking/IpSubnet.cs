using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Berth.Daemon.Networking;

/// <summary>An IPv4 or IPv6 subnet in CIDR form; addresses are numbered from the network address (offset 0).</summary>
public sealed record IpSubnet
{
    private IpSubnet(AddressFamily family, UInt128 network, int prefixLength)
    {
        Family = family;
        Network = network;
        PrefixLength = prefixLength;
    }

    public AddressFamily Family { get; }

    public UInt128 Network { get; }

    public int PrefixLength { get; }

    public bool IsIpv4 => Family == AddressFamily.InterNetwork;

    private int Bits => IsIpv4 ? 32 : 128;

    /// <summary>How many addresses the subnet spans (capped for huge IPv6 prefixes).</summary>
    public UInt128 Size => Bits - PrefixLength >= 127 ? UInt128.MaxValue : UInt128.One << (Bits - PrefixLength);

    /// <summary>The gateway (the host's address on the bridge): the first host address.</summary>
    public IPAddress Gateway => At(1);

    /// <summary>The IPv4 broadcast address: the last address of the subnet.</summary>
    public IPAddress Broadcast => At(Size - 1);

    /// <summary>Parses "10.20.0.0/24" or "fd42:20::/64"; the error says what is wrong and what would be right.</summary>
    public static bool TryParse(string? text, out IpSubnet? subnet, out string error)
    {
        subnet = null;
        error = "";
        var parts = (text ?? "").Split('/');
        // IPAddress.TryParse also takes "10.1", hex parts and "%scope" suffixes: only the plain forms are subnets here.
        var plain = parts[0].All(c => char.IsAsciiHexDigit(c) || c is '.' or ':')
            && (parts[0].Contains(':', StringComparison.Ordinal) || (parts[0].Count(c => c == '.') == 3 && parts[0].All(c => char.IsAsciiDigit(c) || c == '.')));
        if (parts.Length != 2 || !plain || !IPAddress.TryParse(parts[0], out var address)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix))
        {
            error = $"'{text}' is not a subnet in CIDR form such as 10.20.0.0/24 or fd42:20::/64";
            return false;
        }

        var family = address.AddressFamily;
        var bits = family == AddressFamily.InterNetwork ? 32 : 128;
        if (prefix < 0 || prefix > bits)
        {
            error = $"'{text}': the prefix length must be between 0 and {bits}";
            return false;
        }

        var value = ToNumber(address);
        var mask = bits - prefix >= 128 ? UInt128.Zero : UInt128.MaxValue << (bits - prefix);
        if (bits == 32)
        {
            mask &= 0xFFFFFFFF;
        }

        var network = value & mask;
        subnet = new IpSubnet(family, network, prefix);
        if (network != value)
        {
            error = $"'{text}' has host bits set; did you mean {subnet}?";
            subnet = null;
            return false;
        }

        return true;
    }

    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != Family)
        {
            return false;
        }

        var value = ToNumber(address);
        return value >= Network && value - Network < Size;
    }

    public bool Overlaps(IpSubnet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return other.Family == Family && (Contains(other.At(0)) || other.Contains(At(0)));
    }

    public IPAddress At(UInt128 offset)
    {
        var value = Network + offset;
        if (IsIpv4)
        {
            var bytes = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)value);
            return new IPAddress(bytes);
        }

        var v6 = new byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(v6, value);
        return new IPAddress(v6);
    }

    public UInt128 OffsetOf(IPAddress address) => ToNumber(address) - Network;

    public override string ToString() => $"{At(0)}/{PrefixLength.ToString(CultureInfo.InvariantCulture)}";

    private static UInt128 ToNumber(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        return bytes.Length == 4 ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }
}
