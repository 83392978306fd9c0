using System.Net;
using Berth.Daemon.Access;
using Berth.Daemon.Hosting;
using Microsoft.AspNetCore.Http;

namespace Berth.Tests.Daemon.Hosting;

/// <summary>Forwarded headers are taken only from loopback with the proxy's secret; the secret header never goes further.</summary>
public sealed class ProxiedRequestsTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ProxySecret _secret;

    public ProxiedRequestsTests() => _secret = new ProxySecret(new StatePaths(new BerthOptions { StateDir = _dir.Path }));

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Invoke_LoopbackWithTheSecret_TakesClientSchemeAndHost()
    {
        var context = await RunAsync("127.0.0.1", _secret.Value);

        Assert.Equal(IPAddress.Parse("203.0.113.7"), context.Connection.RemoteIpAddress);
        Assert.True(context.Request.IsHttps);
        Assert.Equal("panel.example.org:8443", context.Request.Host.Value);
        Assert.Equal(new ForwardedOrigin("https", "panel.example.org", 8443), context.Features.Get<ForwardedOrigin>());
        Assert.False(context.Request.Headers.ContainsKey(ProxySecret.HeaderName));
        Assert.Null(BrowserOrigin.Refusal(WithOrigin(context, "https://panel.example.org:8443")));
        Assert.NotNull(BrowserOrigin.Refusal(WithOrigin(context, "https://evil.example:8443")));
        Assert.NotNull(BrowserOrigin.Refusal(WithOrigin(context, "http://127.0.0.1:8080")));
    }

    [Theory]
    [InlineData("127.0.0.1", "wrong")]
    [InlineData("127.0.0.1", "")]
    [InlineData("127.0.0.1", null)]
    [InlineData("192.0.2.1", "SECRET")]
    public async Task Invoke_WithoutTheSecretOrNotFromLoopback_ChangesNothing(string remote, string? given)
    {
        var context = await RunAsync(remote, given == "SECRET" ? _secret.Value : given);

        Assert.Equal(IPAddress.Parse(remote), context.Connection.RemoteIpAddress);
        Assert.False(context.Request.IsHttps);
        Assert.Equal("127.0.0.1:8080", context.Request.Host.Value);
        Assert.Null(context.Features.Get<ForwardedOrigin>());
        Assert.False(context.Request.Headers.ContainsKey(ProxySecret.HeaderName));
        Assert.NotNull(BrowserOrigin.Refusal(WithOrigin(context, "https://panel.example.org:8443")));
    }

    [Fact]
    public void Secret_IsKeptAcrossStarts_InARootOnlyFile()
    {
        var again = new ProxySecret(new StatePaths(new BerthOptions { StateDir = _dir.Path }));

        Assert.Equal(_secret.Value, again.Value);
        Assert.Equal(64, again.Value.Length);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_dir.File("proxy.secret")));
    }

    private async Task<HttpContext> RunAsync(string remote, string? secret)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        context.Connection.LocalIpAddress = IPAddress.Loopback;
        context.Connection.LocalPort = 8080;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("127.0.0.1:8080");
        context.Request.Headers["X-Forwarded-For"] = "203.0.113.7";
        context.Request.Headers["X-Forwarded-Proto"] = "https";
        context.Request.Headers["X-Forwarded-Host"] = "panel.example.org";
        context.Request.Headers["X-Forwarded-Port"] = "8443";
        if (secret is not null)
        {
            context.Request.Headers[ProxySecret.HeaderName] = secret;
        }

        await new ProxiedRequests(_ => Task.CompletedTask, _secret).InvokeAsync(context);
        return context;
    }

    private static HttpContext WithOrigin(HttpContext context, string origin)
    {
        context.Request.Headers.Origin = origin;
        return context;
    }
}
