using Berth.Daemon.Proxy;

namespace Berth.Tests.Daemon.Proxy;

public sealed class ProxyOptionsTests
{
    [Fact]
    public void DefaultListen_HostWithIpv6_IsIpv6AnyElseIpv4Any()
    {
        var ipv6 = File.Exists("/proc/net/if_inet6") && File.ReadAllText("/proc/net/if_inet6").Length > 0;
        Assert.Equal(ipv6 ? "[::]:80" : "0.0.0.0:80", new ProxyOptions().Http);
        Assert.Equal(ipv6 ? "[::]:443" : "0.0.0.0:443", new ProxyOptions().Https);
    }

    [Theory]
    [InlineData("http://acme.example/directory", "--acme-directory")]
    [InlineData("not a url", "--acme-directory")]
    public void Validate_AcmeDirectoryNotHttps_NamesTheSwitch(string directory, string expected) =>
        Assert.StartsWith(expected, Assert.Throws<ArgumentException>(() => new ProxyOptions { AcmeDirectory = directory }.Validate()).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("admin")]
    [InlineData("a@b@c")]
    [InlineData("a b@example.org")]
    public void Validate_BadAcmeEmail_Refused(string email) =>
        Assert.StartsWith("--acme-email", Assert.Throws<ArgumentException>(() => new ProxyOptions { AcmeEmail = email }.Validate()).Message, StringComparison.Ordinal);

    [Fact]
    public void Validate_MissingHookOrBundle_Refused()
    {
        Assert.StartsWith("--acme-dns-hook", Assert.Throws<ArgumentException>(() => new ProxyOptions { AcmeDnsHook = "/nonexistent/hook" }.Validate()).Message, StringComparison.Ordinal);
        Assert.StartsWith("--acme-ca-certificates", Assert.Throws<ArgumentException>(() => new ProxyOptions { AcmeCaCertificates = "/nonexistent.pem" }.Validate()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Defaults_Pass() => new ProxyOptions { AcmeEmail = "admin@example.org" }.Validate();
}
