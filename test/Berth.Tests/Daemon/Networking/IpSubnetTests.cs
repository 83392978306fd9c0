using System.Net;
using Berth.Daemon.Networking;

namespace Berth.Tests.Daemon.Networking;

public sealed class IpSubnetTests
{
    [Fact]
    public void TryParse_Ipv4_GivesGatewayContainsAndSize()
    {
        Assert.True(IpSubnet.TryParse("10.20.0.0/24", out var subnet, out _));
        Assert.Equal("10.20.0.1", subnet!.Gateway.ToString());
        Assert.Equal((UInt128)256, subnet.Size);
        Assert.True(subnet.Contains(IPAddress.Parse("10.20.0.254")));
        Assert.False(subnet.Contains(IPAddress.Parse("10.20.1.1")));
        Assert.Equal("10.20.0.77", subnet.At(77).ToString());
        Assert.Equal((UInt128)77, subnet.OffsetOf(IPAddress.Parse("10.20.0.77")));
        Assert.Equal("10.20.0.0/24", subnet.ToString());
    }

    [Fact]
    public void TryParse_Ipv6_GatewayIsOneOfThePrefix()
    {
        Assert.True(IpSubnet.TryParse("fd42:20::/64", out var subnet, out _));
        Assert.Equal("fd42:20::1", subnet!.Gateway.ToString());
        Assert.Equal("fd42:20::5", subnet.At(5).ToString());
        Assert.False(subnet.IsIpv4);
    }

    [Theory]
    [InlineData("10.20.0.1/24", "10.20.0.0/24")]
    [InlineData("10.20.0.0", "CIDR")]
    [InlineData("10.20.0.0/33", "between 0 and 32")]
    [InlineData("banana/24", "CIDR")]
    public void TryParse_Invalid_ExplainsWhy(string text, string hint)
    {
        Assert.False(IpSubnet.TryParse(text, out var subnet, out var error));
        Assert.Null(subnet);
        Assert.Contains(hint, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.20.0.0/24", "10.20.0.128/25", true)]
    [InlineData("10.20.0.0/16", "10.20.5.0/24", true)]
    [InlineData("10.20.0.0/24", "10.20.1.0/24", false)]
    [InlineData("10.20.0.0/24", "fd42::/64", false)]
    public void Overlaps_IsSymmetric(string a, string b, bool expected)
    {
        IpSubnet.TryParse(a, out var first, out _);
        IpSubnet.TryParse(b, out var second, out _);
        Assert.Equal(expected, first!.Overlaps(second!));
        Assert.Equal(expected, second!.Overlaps(first));
    }
}
