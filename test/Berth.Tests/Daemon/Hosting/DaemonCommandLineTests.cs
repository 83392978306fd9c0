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
    public void ParseLoopback_NonLoopback_ThrowsPointingToHttps(string text)
    {
        var ex = Assert.Throws<ArgumentException>(() => DaemonCommandLine.ParseLoopback(text));

        Assert.Contains("loopback only", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"use --https {text}", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Theory]
    [InlineData("0.0.0.0:8443", "0.0.0.0", 8443)]
    [InlineData("[::]:8443", "::", 8443)]
    [InlineData("192.0.2.7:443", "192.0.2.7", 443)]
    public void ParseHttps_AnyAddress_Parsed(string text, string address, int port)
    {
        var endpoint = DaemonCommandLine.ParseHttps(text);

        Assert.Equal(System.Net.IPAddress.Parse(address), endpoint.Address);
        Assert.Equal(port, endpoint.Port);
    }

    [Theory]
    [InlineData("/c.pem", null, "0.0.0.0:8443", "go together")]
    [InlineData(null, "/k.pem", "0.0.0.0:8443", "go together")]
    [InlineData("/c.pem", "/k.pem", null, "add --https")]
    public void ValidateTls_IncompleteTls_ThrowsSayingWhatIsMissing(string? cert, string? key, string? https, string expected)
    {
        var ex = Assert.Throws<ArgumentException>(() => DaemonCommandLine.ValidateTls(new BerthOptions { TlsCert = cert, TlsKey = key, Https = https }));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
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
