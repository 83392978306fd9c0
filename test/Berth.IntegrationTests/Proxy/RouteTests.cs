using System.Globalization;
using System.Net;
using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Proxy;

/// <summary>Routes through the real nginx that berthd runs, on high loopback ports.</summary>
public sealed class RouteTests(ProxyBerthEnvironment env) : IClassFixture<ProxyBerthEnvironment>
{
    private string Domain(string hint) => $"{hint}.{env.Prefix}.test";

    [Fact]
    public async Task Route_DomainReachesContainer_WithForwardedHeadersAndAccessLog()
    {
        var web = await env.LaunchWebServerAsync("web", "page-of-web");
        var domain = Domain("app");

        await env.SucceedAsync(env.Client.AddRouteAsync(new RouteRequest { Container = web, Domain = domain }));
        var (status, body) = await env.GetAsync(domain);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("page-of-web", body.Trim());

        // A name no route has is not some container's site.
        Assert.Equal(HttpStatusCode.NotFound, (await env.GetAsync($"other.{env.Prefix}.test")).Status);

        var route = Assert.Single(await env.Client.ListRoutesAsync(web));
        Assert.Equal(domain, route.Domain);
        Assert.Equal("/", route.Path);
        Assert.Equal((await env.Client.GetContainerAsync(web)).Ipv4, route.TargetAddress);
        Assert.Contains($"host={domain}", await ProxyBerthEnvironment.AccessLogWithAsync(route.AccessLog, $"host={domain}"), StringComparison.Ordinal);

        // A raw listener in the container shows what nginx sends: the forwarded headers, and not a client's own claim.
        // Its handler writes the request's header lines to /req and answers only after the blank line that ends them.
        var capture = Path.Combine(env.LxcPath, web, "rootfs", "capture");
        await File.WriteAllTextAsync(capture, """
            #!/bin/sh
            while IFS= read -r line; do
                printf '%s\n' "$line" >> /req
                [ "$line" = "$(printf '\r')" ] && break
            done
            printf 'HTTP/1.0 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n'

            """.ReplaceLineEndings("\n"));
        File.SetUnixFileMode(capture, (UnixFileMode)0b111_101_101);
        var (code, _, stderr) = await env.ExecAsync(web, "sh", "-c", "(nc -l -p 8081 -e /capture >/dev/null 2>&1 &) && sleep 0.2");
        Assert.True(code == 0, stderr);
        var raw = Domain("raw");
        await env.SucceedAsync(env.Client.AddRouteAsync(new RouteRequest { Container = web, Domain = raw, Port = 8081 }));
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{env.HttpPort.ToString(CultureInfo.InvariantCulture)}/x");
            request.Headers.Host = raw;
            request.Headers.Add("X-Forwarded-For", "6.6.6.6");
            using var response = await http.SendAsync(request);
            Assert.Equal("ok", (await response.Content.ReadAsStringAsync()).Trim());
        }

        var seen = (await env.ExecAsync(web, "cat", "/req")).Stdout;

        Assert.Contains("X-Forwarded-For: 127.0.0.1\r\n", seen, StringComparison.Ordinal);
        Assert.Contains("X-Forwarded-Proto: http\r\n", seen, StringComparison.Ordinal);
        Assert.Contains($"X-Forwarded-Host: {raw}\r\n", seen, StringComparison.Ordinal);
        Assert.Contains($"Host: {raw}\r\n", seen, StringComparison.Ordinal);
        Assert.DoesNotContain("6.6.6.6", seen, StringComparison.Ordinal);

        await env.SucceedAsync(env.Client.RemoveRouteAsync(raw));
        await env.SucceedAsync(env.Client.RemoveRouteAsync(domain));
    }

    [Fact]
    public async Task Route_TwoPathsOfOneDomain_GoToTwoContainers()
    {
        var network = env.NetworkName("ppaths");
        await env.SucceedAsync(env.Client.CreateNetworkAsync(new NetworkCreateRequest { Name = network, Subnet = env.NextSubnet(), Nat = true }));
        var site = await env.LaunchWebServerAsync("site", "page-of-site", network: network);
        var ci = await env.LaunchWebServerAsync("ci", "page-of-ci", subdir: "jenkins", network: network);
        var domain = Domain("paths");

        await env.SucceedAsync(env.Client.AddRouteAsync(new RouteRequest { Container = site, Domain = domain }));
        await env.SucceedAsync(env.Client.AddRouteAsync(new RouteRequest { Container = ci, Domain = domain, Path = "/jenkins" }));

        Assert.Equal("page-of-site", (await env.GetAsync(domain, "/")).Body.Trim());
        Assert.Equal("page-of-ci", (await env.GetAsync(domain, "/jenkins/")).Body.Trim());
        Assert.NotEqual("page-of-ci", (await env.GetAsync(domain, "/jenkinsfoo")).Body.Trim());
        Assert.Equal(["/", "/jenkins/"], (await env.Client.ListRoutesAsync()).Where(r => r.Domain == domain).Select(r => r.Path).Order(StringComparer.Ordinal));

        // The same domain and path twice is refused.
        var twice = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.AddRouteAsync(new RouteRequest { Container = site, Domain = domain, Path = "/jenkins/" }));
        Assert.Equal(409, twice.Status);

        await env.SucceedAsync(env.Client.RemoveRouteAsync(domain, "/jenkins/"));
        Assert.NotEqual("page-of-ci", (await env.GetAsync(domain, "/jenkins/")).Body.Trim());
        Assert.Equal("page-of-site", (await env.GetAsync(domain, "/")).Body.Trim());
        await env.SucceedAsync(env.Client.RemoveRouteAsync(domain));
    }

    [Fact]
    public async Task Route_InternationalDomain_StoredInPunycodeShownBothWays()
    {
        var web = await env.LaunchWebServerAsync("idn", "page-of-idn");
        var unicode = $"bücher.{env.Prefix}.test";
        var ascii = $"xn--bcher-kva.{env.Prefix}.test";
        await env.SucceedAsync(env.Client.AddRouteAsync(new RouteRequest { Container = web, Domain = unicode }));

        var route = Assert.Single(await env.Client.ListRoutesAsync(web));
        Assert.Equal(ascii, route.Domain);
        Assert.Equal(unicode, route.DomainUnicode);
        Assert.Equal("page-of-idn", (await env.GetAsync(ascii)).Body.Trim());

        var list = await CliRunner.RunAsync(env.StateDir, "route", "list", web);
        Assert.True(list.ExitCode == 0, list.Stderr);
        Assert.Contains($"{unicode} ({ascii})", list.Stdout, StringComparison.Ordinal);

        var removed = await CliRunner.RunAsync(env.StateDir, "route", "remove", unicode);
        Assert.True(removed.ExitCode == 0, removed.Stderr);
        Assert.Empty(await env.Client.ListRoutesAsync(web));
    }

    [Fact]
    public async Task Route_BadInput_RefusedAndNothingChanged()
    {
        var web = await env.LaunchWebServerAsync("bad", "page-of-bad");
        var domain = Domain("bad");
        await env.SucceedAsync(env.Client.AddRouteAsync(new RouteRequest { Container = web, Domain = domain }));
        var before = await env.Client.ListRoutesAsync();
        var config = await File.ReadAllTextAsync(Path.Combine(env.ProxyDir, "nginx.conf"));
        var master = env.NginxPid();
        Assert.NotNull(master);

        async Task RefusedAsync(int status, string expected, RouteRequest request)
        {
            var refused = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.AddRouteAsync(request));
            Assert.Equal(status, refused.Status);
            Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
        }

        await RefusedAsync(400, "not a valid domain", new RouteRequest { Container = web, Domain = "bad_name.test" });
        await RefusedAsync(400, "control characters", new RouteRequest { Container = web, Domain = "a.test\nserver_name x" });
        await RefusedAsync(400, "not a path prefix", new RouteRequest { Container = web, Domain = Domain("p"), Path = "/a;b/" });
        await RefusedAsync(400, "not a path prefix", new RouteRequest { Container = web, Domain = Domain("p"), Path = "/../" });
        await RefusedAsync(400, "not a TCP port", new RouteRequest { Container = web, Domain = Domain("p"), Port = 70000 });
        await RefusedAsync(400, "not a size", new RouteRequest { Container = web, Domain = Domain("p"), MaxBody = "10m; return 200" });
        await RefusedAsync(404, "no container", new RouteRequest { Container = env.Name("nosuch"), Domain = Domain("p") });

        // nginx's own judgement: a size its grammar lets through but nginx does not accept; its reason reaches the caller.
        await RefusedAsync(400, "\"client_max_body_size\" directive invalid value", new RouteRequest { Container = web, Domain = Domain("p"), MaxBody = "10x" });

        var cli = await CliRunner.RunAsync(env.StateDir, "route", "add", web, Domain("p"), "--timeout", "5sx");
        Assert.NotEqual(0, cli.ExitCode);
        Assert.Contains("directive invalid value", cli.Stderr, StringComparison.Ordinal);

        Assert.Equal(before, await env.Client.ListRoutesAsync());
        Assert.Equal(config, await File.ReadAllTextAsync(Path.Combine(env.ProxyDir, "nginx.conf")));
        Assert.Equal(master, env.NginxPid());
        Assert.Equal("page-of-bad", (await env.GetAsync(domain)).Body.Trim());
        Assert.Empty(Directory.GetFiles(Path.Combine(env.ProxyDir, "staging"), "check-*"));
        await env.SucceedAsync(env.Client.RemoveRouteAsync(domain));
    }

    [Fact]
    public async Task DomainBan_ExactAndSuffix_RefuseRoutesUntilLifted()
    {
        var web = await env.LaunchWebServerAsync("ban", "page-of-ban");
        var zone = $"banned.{env.Prefix}.test";
        var ban = await CliRunner.RunAsync(env.StateDir, "domain", "ban", $"*.{zone}");
        Assert.True(ban.ExitCode == 0, ban.Stderr);
        await env.Client.BanDomainAsync($"exact.{env.Prefix}.test");
        Assert.Equal([$"*.{zone}", $"exact.{env.Prefix}.test"], (await env.Client.ListDomainBansAsync()).Select(b => b.Pattern).Order(StringComparer.Ordinal));

        foreach (var domain in new[] { $"a.{zone}", $"a.b.{zone}", $"EXACT.{env.Prefix}.test" })
        {
            var refused = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.AddRouteAsync(new RouteRequest { Container = web, Domain = domain }));
            Assert.Equal(403, refused.Status);
        }

        var cli = await CliRunner.RunAsync(env.StateDir, "route", "add", web, $"x.{zone}");
        Assert.NotEqual(0, cli.ExitCode);
        Assert.Contains("banned", cli.Stderr, StringComparison.Ordinal);
        Assert.Empty(await env.Client.ListRoutesAsync(web));

        // The suffix itself is not below it; and a ban is refused while a route it matches exists.
        await env.SucceedAsync(env.Client.AddRouteAsync(new RouteRequest { Container = web, Domain = zone }));
        var inUse = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.BanDomainAsync(zone));
        Assert.Equal(409, inUse.Status);
        await env.SucceedAsync(env.Client.RemoveRouteAsync(zone));

        var bad = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.BanDomainAsync("a.*.test"));
        Assert.Equal(400, bad.Status);

        var unban = await CliRunner.RunAsync(env.StateDir, "domain", "unban", $"*.{zone}");
        Assert.True(unban.ExitCode == 0, unban.Stderr);
        await env.SucceedAsync(env.Client.AddRouteAsync(new RouteRequest { Container = web, Domain = $"a.{zone}" }));
        Assert.Equal("page-of-ban", (await env.GetAsync($"a.{zone}")).Body.Trim());
        await env.SucceedAsync(env.Client.RemoveRouteAsync($"a.{zone}"));
        await env.Client.UnbanDomainAsync($"exact.{env.Prefix}.test");
        Assert.Empty(await env.Client.ListDomainBansAsync());
    }

    [Fact]
    public async Task Route_ContainerDeleted_RouteGoesAndNginxDropsIt()
    {
        var web = await env.LaunchWebServerAsync("gone", "page-of-gone");
        var domain = Domain("gone");
        await env.SucceedAsync(env.Client.AddRouteAsync(new RouteRequest { Container = web, Domain = domain }));
        Assert.Equal("page-of-gone", (await env.GetAsync(domain)).Body.Trim());

        await env.SucceedAsync(env.Client.DeleteAsync(web, force: true));
        Assert.DoesNotContain(await env.Client.ListRoutesAsync(), r => r.Domain == domain);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (File.Exists(Path.Combine(env.ProxyDir, "nginx.conf")) && File.ReadAllText(Path.Combine(env.ProxyDir, "nginx.conf")).Contains(domain, StringComparison.Ordinal) && env.NginxPid() is not null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        var served = env.NginxPid() is null ? null : (await env.GetAsync(domain)).Body;
        Assert.NotEqual("page-of-gone", served?.Trim());
    }

    [Fact]
    public async Task Forward_OfTheProxyPort_IsRefused()
    {
        var web = await env.LaunchWebServerAsync("fwd", "page-of-fwd");
        var refused = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.AddForwardAsync(web, new ForwardRequest { Ports = $"{env.HttpPort.ToString(CultureInfo.InvariantCulture)}:80/tcp" }));
        Assert.Equal(409, refused.Status);
        Assert.Contains("--proxy-http", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await env.Client.ListForwardsAsync(web));
    }

    [Fact]
    public async Task Route_TlsAutoWithoutAcmeAccount_IsRefusedAndNothingStored()
    {
        var web = await env.LaunchWebServerAsync("noacme", "page-of-noacme");
        var refused = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.AddRouteAsync(new RouteRequest { Container = web, Domain = Domain("noacme"), Tls = "auto" }));
        Assert.Equal(409, refused.Status);
        Assert.Contains("--acme-email", refused.Message, StringComparison.Ordinal);
        var cli = await CliRunner.RunAsync(env.StateDir, "route", "add", web, Domain("noacme"), "--tls", "auto");
        Assert.NotEqual(0, cli.ExitCode);
        Assert.Single(cli.Stderr.Trim().Split('\n'));
        Assert.Empty(await env.Client.ListRoutesAsync(web));
    }
}
