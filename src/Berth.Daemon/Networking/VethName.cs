using System.Security.Cryptography;
using System.Text;

namespace Berth.Daemon.Networking;

/// <summary>The host end of a container's veth pair: short (interface names are at most 15 bytes) and unique per container directory.</summary>
public static class VethName
{
    public static string For(string containerDir) =>
        "vb" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(containerDir)))[..10];

    /// <summary>The host end of interface <paramref name="nic"/>; interface 0 keeps the name it always had.</summary>
    public static string For(string containerDir, int nic) =>
        nic == 0 ? For(containerDir) : For(containerDir + "#" + nic.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
