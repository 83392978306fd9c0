using System.Net;
using Berth.Daemon.Access;
using Microsoft.AspNetCore.Http;

namespace Berth.Tests.Daemon.Access;

public sealed class BrowserOriginTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8443")]
    [InlineData("http://localhost:8443")]
    [InlineData("http://LOCALHOST:8443")]
    public void Refusal_OwnOrigin_IsNull(string origin) => Assert.Null(BrowserOrigin.Refusal(Request("127.0.0.1", 8443, origin)));

    [Theory]
    [InlineData("http://127.0.0.1:8444")]
    [InlineData("http://127.0.0.2:8443")]
    [InlineData("https://127.0.0.1:8443")]
    [InlineData("ws://127.0.0.1:8443")]
    [InlineData("http://evil.example:8443")]
    [InlineData("http://localhost.evil.example:8443")]
    [InlineData("http://user@127.0.0.1:8443")]
    [InlineData("http://127.0.0.1:8443/path")]
    [InlineData("null")]
    [InlineData("")]
    public void Refusal_ForeignOrigin_SaysWhereItCameFrom(string origin)
    {
        var refusal = BrowserOrigin.Refusal(Request("127.0.0.1", 8443, origin));

        Assert.NotNull(refusal);
        Assert.Contains("http://127.0.0.1:8443", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Refusal_HostHeaderMatchingAForeignOrigin_DoesNotMakeItOwn()
    {
        var context = Request("127.0.0.1", 8443, "http://evil.example:8443");
        context.Request.Host = new HostString("evil.example:8443");

        Assert.NotNull(BrowserOrigin.Refusal(context));
    }

    [Fact]
    public void Refusal_IPv6Listener_AcceptsItsBracketedAddress()
    {
        Assert.Null(BrowserOrigin.Refusal(Request("::1", 8443, "http://[::1]:8443")));
        Assert.NotNull(BrowserOrigin.Refusal(Request("::1", 8443, "http://127.0.0.1:8443")));
    }

    [Theory]
    [InlineData("same-site", false)]
    [InlineData("cross-site", false)]
    [InlineData("same-origin", true)]
    [InlineData("none", true)]
    public void Refusal_SecFetchSite_OnlySameOriginOrNoneAreOwn(string site, bool own)
    {
        var context = Request("127.0.0.1", 8443, origin: null);
        context.Request.Headers["Sec-Fetch-Site"] = site;

        Assert.Equal(own, BrowserOrigin.Refusal(context) is null);
    }

    [Fact]
    public void Refusal_NoOriginNoFetchMetadata_IsNull() => Assert.Null(BrowserOrigin.Refusal(Request("127.0.0.1", 8443, origin: null)));

    private static DefaultHttpContext Request(string localAddress, int localPort, string? origin)
    {
        var context = new DefaultHttpContext();
        context.Connection.LocalIpAddress = IPAddress.Parse(localAddress);
        context.Connection.LocalPort = localPort;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString($"127.0.0.1:{localPort}");
        if (origin is not null)
        {
            context.Request.Headers.Origin = origin;
        }

        return context;
    }
}
