using Berth.Daemon.Networking;

namespace Berth.Tests.Daemon.Networking;

public sealed class ReservedRangesTests
{
    [Theory]
    [InlineData("0.0.0.0/8")]
    [InlineData("127.0.0.0/8")]
    [InlineData("127.10.0.0/24")]
    [InlineData("169.254.0.0/16")]
    [InlineData("224.0.0.0/24")]
    [InlineData("239.1.0.0/16")]
    [InlineData("240.0.0.0/8")]
    [InlineData("255.255.255.248/29")]
    [InlineData("::/64")]
    [InlineData("fe80::/64")]
    [InlineData("ff02::/64")]
    public void Problem_SpecialRanges_AreNamed(string text)
    {
        Assert.True(IpSubnet.TryParse(text, out var subnet, out _));
        Assert.NotNull(ReservedRanges.Problem(subnet!));
    }

    [Theory]
    [InlineData("10.20.0.0/24")]
    [InlineData("192.168.5.0/24")]
    [InlineData("fd42:20::/64")]
    public void Problem_PrivateRanges_AreFine(string text)
    {
        Assert.True(IpSubnet.TryParse(text, out var subnet, out _));
        Assert.Null(ReservedRanges.Problem(subnet!));
    }

    [Theory]
    [InlineData("10.1/16")]
    [InlineData("0x0a.0.0.0/8")]
    [InlineData("fe80::%eth0/64")]
    [InlineData("10.20.0.0/24\n")]
    public void TryParse_UnusualAddressForms_AreRefused(string text) => Assert.False(IpSubnet.TryParse(text, out _, out _));
}
