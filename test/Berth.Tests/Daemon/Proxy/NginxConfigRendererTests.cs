using System.Net;
using System.Runtime.CompilerServices;
using Berth.Daemon.Hosting;
using Berth.Daemon.Proxy;

namespace Berth.Tests.Daemon.Proxy;

/// <summary>The rendered nginx.conf against golden files in Golden/; set BERTH_UPDATE_GOLDEN=1 to rewrite them after an intended change.</summary>
public sealed class NginxConfigRendererTests
{
    private static readonly NginxConfigRenderer Renderer = new(new ProxyPaths(new StatePaths(new BerthOptions { StateDir = "/var/lib/berth" })));

    private static ProxyRoute Route(string domain, string path, string container, string address, int port = 80, bool websocket = false) => new()
    {
        Domain = domain,
        Path = path,
        Container = container,
        Port = port,
        MaxBody = "100m",
        Timeout = "60s",
        Websocket = websocket,
        CreatedAt = DateTimeOffset.UnixEpoch,
        TargetAddress = address,
    };

    [Fact]
    public void Render_OneDomain_MatchesGolden() =>
        AssertGolden("one-domain.conf", Renderer.Render([Route("wiki.example.org", "/", "wiki", "10.20.0.2")], IPEndPoint.Parse("0.0.0.0:80")));

    [Fact]
    public void Render_PathsOfOneDomainAndWebsocket_MatchesGolden() =>
        AssertGolden("paths.conf", Renderer.Render(
            [
                Route("example.org", "/", "web", "10.20.0.2"),
                Route("example.org", "/jenkins/", "ci", "10.20.0.3", 8080, websocket: true),
                Route("xn--bcher-kva.example", "/", "shop", "10.20.0.4"),
            ],
            IPEndPoint.Parse("127.0.0.1:18080")));

    [Fact]
    public void Render_WildcardCertificate_ServesCoveredDomainsOverHttps() =>
        AssertGolden("tls.conf", Renderer.Render(
            [Route("wiki.example.org", "/", "wiki", "10.20.0.2"), Route("example.net", "/", "net", "10.20.0.3")],
            IPEndPoint.Parse("0.0.0.0:80"),
            IPEndPoint.Parse("0.0.0.0:443"),
            [new ProxyCertificate { Name = "example", Domains = ["*.example.org"], NotBefore = DateTimeOffset.UnixEpoch, NotAfter = DateTimeOffset.MaxValue, Fingerprint = "00", CreatedAt = DateTimeOffset.UnixEpoch }]));

    [Fact]
    public void Render_SameRoutesInAnotherOrder_SameText()
    {
        var a = Route("a.test", "/", "a", "10.0.0.2");
        var b = Route("a.test", "/x/", "a", "10.0.0.2");
        var c = Route("b.test", "/", "b", "10.0.0.3");
        var http = IPEndPoint.Parse("0.0.0.0:80");
        Assert.Equal(Renderer.Render([a, b, c], http), Renderer.Render([c, b, a], http));
    }

    [Fact]
    public void Render_ValueWithNginxSyntax_Throws() =>
        Assert.Throws<ArgumentException>(() => Renderer.Render([Route("a.test", "/;return 200 x;/", "a", "10.0.0.2")], IPEndPoint.Parse("0.0.0.0:80")));

    [Fact]
    public void Render_Ipv6Listener_Bracketed() =>
        Assert.Contains("listen [::]:80 default_server;", Renderer.Render([Route("a.test", "/", "a", "10.0.0.2")], IPEndPoint.Parse("[::]:80")), StringComparison.Ordinal);

    private static void AssertGolden(string name, string actual, [CallerFilePath] string source = "")
    {
        var file = Path.Combine(Path.GetDirectoryName(source)!, "Golden", name);
        if (Environment.GetEnvironmentVariable("BERTH_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(file, actual);
        }

        Assert.True(File.Exists(file), $"golden file {file} is missing; run with BERTH_UPDATE_GOLDEN=1 to write it");
        Assert.Equal(File.ReadAllText(file), actual);
    }
}
