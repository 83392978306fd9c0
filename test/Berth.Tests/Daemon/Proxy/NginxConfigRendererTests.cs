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
    public void Render_Ipv6AnyListener_OneDualStackSocket()
    {
        var text = Renderer.Render([Route("a.test", "/", "a", "10.0.0.2")], IPEndPoint.Parse("[::]:80"), IPEndPoint.Parse("[::]:443"), [Certificate("a", "a.test")]);
        Assert.Contains("listen [::]:80 default_server ipv6only=off;", text, StringComparison.Ordinal);
        Assert.Contains("listen [::]:443 ssl default_server ipv6only=off;", text, StringComparison.Ordinal);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(text, "ipv6only=off"));
    }

    [Fact]
    public void Render_Ipv6LoopbackListener_StaysIpv6Only() =>
        Assert.DoesNotContain("ipv6only", Renderer.Render([Route("a.test", "/", "a", "10.0.0.2")], IPEndPoint.Parse("[::1]:80")), StringComparison.Ordinal);

    [Fact]
    public void Render_RedirectTlsOffAndNamedCertificate_MatchesGolden() =>
        AssertGolden("redirect.conf", Renderer.Render(
            [
                Route("a.example.org", "/", "a", "10.20.0.2") with { RedirectHttps = true },
                Route("b.example.org", "/", "b", "10.20.0.3") with { Tls = "off" },
                Route("c.example.org", "/", "c", "10.20.0.4") with { Tls = "other", RedirectHttps = true },
            ],
            IPEndPoint.Parse("0.0.0.0:80"),
            IPEndPoint.Parse("0.0.0.0:8443"),
            [Certificate("example", "*.example.org"), Certificate("other", "c.example.org")]));

    [Fact]
    public void Render_RedirectWithoutCertificate_ServesHttp()
    {
        var text = Renderer.Render([Route("a.test", "/", "a", "10.0.0.2") with { Tls = "auto", RedirectHttps = true }], IPEndPoint.Parse("0.0.0.0:80"), IPEndPoint.Parse("0.0.0.0:443"));
        Assert.DoesNotContain("return 308", text, StringComparison.Ordinal);
        Assert.Contains("proxy_pass http://berth_10_0_0_2_80;", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ChallengeLocation_InEveryHttpServerBeforeTheRoutes()
    {
        var text = Renderer.Render([Route("a.test", "/", "a", "10.0.0.2"), Route("b.test", "/.well-known/", "b", "10.0.0.3")], IPEndPoint.Parse("0.0.0.0:80"));
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Count(text, "location \\^~ /\\.well-known/acme-challenge/ \\{"));
    }

    [Fact]
    public void Render_PanelRoute_MatchesGolden() =>
        AssertGolden("panel.conf", Renderer.Render(
            [Route("panel.example.org", "/", "(panel)", "127.0.0.1", 8080, websocket: true) with { Panel = true, MaxBody = "0", Timeout = "1h", Tls = "panel", RedirectHttps = true }],
            IPEndPoint.Parse("0.0.0.0:80"),
            IPEndPoint.Parse("0.0.0.0:443"),
            [Certificate("panel", "panel.example.org")],
            panelSecret: new string('a', 64)));

    [Fact]
    public void Render_PanelRouteWithoutTheSecret_Throws() =>
        Assert.Throws<ArgumentException>(() => Renderer.Render([Route("panel.example.org", "/", "(panel)", "127.0.0.1", 8080) with { Panel = true }], IPEndPoint.Parse("0.0.0.0:80")));

    [Fact]
    public void ServedCertificate_AutoPrefersItsAcmeCertificate_ThenACoveringOne()
    {
        var wildcard = Certificate("wild", "*.example.org");
        var own = Certificate("acme-a.example.org", "a.example.org");
        var routes = new[] { Route("a.example.org", "/", "a", "10.0.0.2") with { Tls = "auto" } };
        Assert.Equal("acme-a.example.org", NginxConfigRenderer.ServedCertificate("a.example.org", routes, [wildcard, own])?.Name);
        Assert.Equal("wild", NginxConfigRenderer.ServedCertificate("a.example.org", routes, [wildcard])?.Name);
        Assert.Null(NginxConfigRenderer.ServedCertificate("a.example.org", [routes[0] with { Tls = "off" }], [wildcard, own]));
    }

    private static ProxyCertificate Certificate(string name, params string[] domains) =>
        new() { Name = name, Domains = domains, NotBefore = DateTimeOffset.UnixEpoch, NotAfter = DateTimeOffset.MaxValue, Fingerprint = "00", CreatedAt = DateTimeOffset.UnixEpoch };

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
