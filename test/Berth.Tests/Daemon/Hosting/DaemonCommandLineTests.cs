using System.Net;
using Berth.Daemon.Hosting;

namespace Berth.Tests.Daemon.Hosting;

public sealed class DaemonCommandLineTests
{
    [Theory]
    [InlineData("127.0.0.1:8443", "127.0.0.1", 8443)]
    [InlineData("[::1]:80", "::1", 80)]
    [InlineData("127.0.0.2:9000", "127.0.0.2", 9000)]
    [InlineData("127.0.0.1:0", "127.0.0.1", 0)]
    public void ParseLoopback_LoopbackEndpoint_Parsed(string text, string address, int port)
    {
        var endpoint = DaemonCommandLine.ParseLoopback(text);

        Assert.Equal(IPAddress.Parse(address), endpoint.Address);
        Assert.Equal(port, endpoint.Port);
    }

    [Theory]
    [InlineData("0.0.0.0:80")]
    [InlineData("10.0.0.1:80")]
    [InlineData("[::]:80")]
    [InlineData("[2001:db8::1]:80")]
    public void ParseLoopback_NonLoopback_ThrowsSayingLoopbackOnly(string text)
    {
        var ex = Assert.Throws<ArgumentException>(() => DaemonCommandLine.ParseLoopback(text));

        Assert.Contains("only loopback", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("")]
    [InlineData("localhost:80")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:")]
    [InlineData("127.0.0.1:70000")]
    [InlineData("8443")]
    public void ParseLoopback_Malformed_ThrowsWithExample(string text)
    {
        var ex = Assert.Throws<ArgumentException>(() => DaemonCommandLine.ParseLoopback(text));

        Assert.Contains("127.0.0.1:8443", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[::ffff:127.0.0.1]:8443")]
    [InlineData("[::ffff:7f00:1]:8443")]
    [InlineData("[::ffff:10.0.0.1]:8443")]
    [InlineData("[::1%1]:8443")]
    public void ParseLoopback_MappedOrScopedAddress_ThrowsNamingThePlainForm(string text)
    {
        var ex = Assert.Throws<ArgumentException>(() => DaemonCommandLine.ParseLoopback(text));

        Assert.Contains("127.0.0.1:8443", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }
}
