using System.Net;
using Berth.Client;
using Berth.Contracts;

namespace Berth.IntegrationTests.Proxy;

/// <summary>
/// Members route their own containers under the names the admin allows (--member-domains): each refusal is the
/// attack it stops, and afterwards no route row, no nginx server and no quota use is left behind.
/// </summary>
public sealed class MemberRouteTests(MemberProxyBerthEnvironment env) : IClassFixture<MemberProxyBerthEnvironment>
{
    private const string Password = "a-good-password-1";

    private string MemberDomain(string hint) => $"{hint}.{env.MemberSuffix}";

    private async Task<(string User, BerthClient Client)> MemberAsync(string hint)
    {
        var name = env.Name(hint);
        await env.Client.CreateUserAsync(new UserCreateRequest { Name = name, Role = "member", Password = Password });
        var token = (await env.Client.CreateTokenAsync(name, new TokenCreateRequest { Name = "cli" })).Token;
        return (name, new BerthClient(env.BaseAddress, token));
    }

    /// <summary>A busybox web server owned by <paramref name="owner"/> (null: root) answering <paramref name="page"/>.</summary>
    private async Task<string> WebServerAsync(string hint, string? owner, string page)
    {
        var network = env.NetworkName("r" + hint);
        try
        {
            await env.SucceedAsync(env.Client.CreateNetworkAsync(new NetworkCreateRequest { Name = network, Subnet = env.NextSubnet(), Nat = true }));
        }
        catch (BerthApiException ex)
        {
            throw new InvalidOperationException($"network {network}: {ex.Message}\n--- berthd log ---\n{env.Daemon.Log}", ex);
        }

        var name = env.Name(hint);
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = name, Image = "busybox", Network = network, Owner = owner }));
        var (code, _, stderr) = await env.ExecAsync(name, "sh", "-c", $"mkdir -p /www && echo {page} > /www/index.html && httpd -p 80 -h /www");
        Assert.True(code == 0, stderr);
        return name;
    }

    /// <summary>What a refusal must leave as it was: every route row and the live nginx configuration.</summary>
    private async Task<string> ProxyStateAsync()
    {
        var routes = await env.Client.ListRoutesAsync();
        var config = Path.Combine(env.ProxyDir, "nginx.conf");
        return string.Join('|', routes.Select(r => $"{r.Domain}{r.Path}>{r.Container}:{r.Owner}")) + "\n" + (File.Exists(config) ? await File.ReadAllTextAsync(config) : "");
    }

    [Fact]
    public async Task Member_RoutesTheirOwnContainer_SeesOnlyTheirRoutes_AndRemovesIt()
    {
        var (alice, member) = await MemberAsync("ra");
        using var _ = member;
        var web = await WebServerAsync("raweb", alice, "alices-page");
        var rootWeb = await WebServerAsync("rrweb", null, "roots-page");
        var domain = MemberDomain("shop");
        await env.SucceedAsync(env.Client.AddRouteAsync(new RouteRequest { Container = rootWeb, Domain = $"root.{env.Prefix}.test" }));

        await env.SucceedAsync(member.AddRouteAsync(new RouteRequest { Container = web, Domain = domain }));

        var (status, body) = await env.GetThroughProxyAsync(domain);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("alices-page", body.Trim());
        var hers = Assert.Single(await member.ListRoutesAsync());
        Assert.Equal((domain, web, alice), (hers.Domain, hers.Container, hers.Owner));
        Assert.Equal(web, Assert.Single(await member.ListRoutesAsync(web)).Container);
        Assert.Contains(await env.Client.ListRoutesAsync(), r => r.Domain == domain && r.Owner == alice);
        Assert.Equal(1L, (await env.Client.GetQuotaAsync(alice)).Items.Single(u => u.Resource == "routes").Used);
        var table = await Infrastructure.CliRunner.RunAsync(env.StateDir, "route", "list");
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("OWNER", table.Stdout, StringComparison.Ordinal);
        Assert.Contains(table.Stdout.Split('\n'), l => l.Contains(domain, StringComparison.Ordinal) && l.TrimEnd().EndsWith(alice, StringComparison.Ordinal));

        await env.SucceedAsync(member.RemoveRouteAsync(domain));
        Assert.Empty(await member.ListRoutesAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await env.GetThroughProxyAsync(domain)).Status);
    }

    [Fact]
    public async Task Member_RouteToAnotherOwnersContainer_Is404_AsIfItDidNotExist_NothingChanges()
    {
        var (_, member) = await MemberAsync("rb");
        using var __ = member;
        var (carol, _) = await MemberAsync("rc");
        var carols = await WebServerAsync("rcweb", carol, "carols-page");
        var roots = await WebServerAsync("rbroot", null, "roots-page");
        var before = await ProxyStateAsync();

        foreach (var target in new[] { carols, roots })
        {
            var refused = await Assert.ThrowsAsync<BerthApiException>(() => member.AddRouteAsync(new RouteRequest { Container = target, Domain = MemberDomain("steal" + target[^3..]) }));
            Assert.Equal(404, refused.Status);
            var missing = await Assert.ThrowsAsync<BerthApiException>(() => member.AddRouteAsync(new RouteRequest { Container = env.Name("nosuch"), Domain = MemberDomain("nosuch") }));
            Assert.Equal((missing.Status, missing.Title), (refused.Status, refused.Title));
            Assert.Equal(404, (await Assert.ThrowsAsync<BerthApiException>(() => member.ListRoutesAsync(target))).Status);
        }

        Assert.Equal(before, await ProxyStateAsync());
    }

    [Fact]
    public async Task Member_CannotListOrRemoveAnotherOwnersRoute_404_AndItStillServes()
    {
        var (_, member) = await MemberAsync("rd");
        using var __ = member;
        var (erin, _) = await MemberAsync("re");
        var erins = await WebServerAsync("reweb", erin, "erins-page");
        var domain = MemberDomain("erin");
        await env.SucceedAsync(env.Client.AddRouteAsync(new RouteRequest { Container = erins, Domain = domain }));
        var before = await ProxyStateAsync();

        Assert.DoesNotContain(await member.ListRoutesAsync(), r => r.Domain == domain);
        var refused = await Assert.ThrowsAsync<BerthApiException>(() => member.RemoveRouteAsync(domain));
        Assert.Equal(404, refused.Status);
        var missing = await Assert.ThrowsAsync<BerthApiException>(() => member.RemoveRouteAsync(MemberDomain("nothing-here")));
        Assert.Equal((missing.Status, missing.Title), (refused.Status, refused.Title));

        Assert.Equal(before, await ProxyStateAsync());
        Assert.Equal("erins-page", (await env.GetThroughProxyAsync(domain)).Body.Trim());
    }

    [Fact]
    public async Task Member_DomainOutsideTheAllowedOnes_BannedOrTakenByAnother_IsRefused_WithoutSayingWhose()
    {
        var (frank, member) = await MemberAsync("rf");
        using var _ = member;
        var (gina, _) = await MemberAsync("rg");
        var franks = await WebServerAsync("rfweb", frank, "franks-page");
        var ginas = await WebServerAsync("rgweb", gina, "ginas-page");
        var taken = MemberDomain("taken");
        await env.SucceedAsync(env.Client.AddRouteAsync(new RouteRequest { Container = ginas, Domain = taken }));
        var banned = MemberDomain("banned");
        await env.Client.BanDomainAsync(banned);
        var before = await ProxyStateAsync();

        var outside = await Assert.ThrowsAsync<BerthApiException>(() => member.AddRouteAsync(new RouteRequest { Container = franks, Domain = $"shop.{env.Prefix}.test" }));
        Assert.Equal((403, "Domain not allowed"), (outside.Status, outside.Title));
        Assert.Contains($"*.{env.MemberSuffix}", outside.Message, StringComparison.Ordinal);
        // The suffix itself is not below it.
        Assert.Equal(403, (await Assert.ThrowsAsync<BerthApiException>(() => member.AddRouteAsync(new RouteRequest { Container = franks, Domain = env.MemberSuffix }))).Status);

        var ban = await Assert.ThrowsAsync<BerthApiException>(() => member.AddRouteAsync(new RouteRequest { Container = franks, Domain = banned }));
        Assert.Equal((403, "Domain banned"), (ban.Status, ban.Title));

        foreach (var path in new[] { null, "/franks/" })
        {
            var conflict = await Assert.ThrowsAsync<BerthApiException>(() => member.AddRouteAsync(new RouteRequest { Container = franks, Domain = taken, Path = path }));
            Assert.Equal((409, "Domain taken"), (conflict.Status, conflict.Title));
            Assert.DoesNotContain(gina, conflict.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(ginas, conflict.Message, StringComparison.Ordinal);
        }

        Assert.Equal(before, await ProxyStateAsync());
        Assert.Equal("ginas-page", (await env.GetThroughProxyAsync(taken)).Body.Trim());
    }

    [Fact]
    public async Task Member_NamingACertificate_OrOverTheRoutesQuota_IsRefused_NothingChanges()
    {
        var (hana, member) = await MemberAsync("rh");
        using var _ = member;
        var hanas = await WebServerAsync("rhweb", hana, "hanas-page");
        await env.Client.UpdateQuotaAsync(hana, new QuotaUpdateRequest { Set = new Dictionary<string, string> { ["routes"] = "1" } });
        await env.SucceedAsync(member.AddRouteAsync(new RouteRequest { Container = hanas, Domain = MemberDomain("one") }));
        var before = await ProxyStateAsync();

        var certificate = await Assert.ThrowsAsync<BerthApiException>(() => member.AddRouteAsync(new RouteRequest { Container = hanas, Domain = MemberDomain("cert"), Tls = "somecert" }));
        Assert.Equal((403, "Certificates are for admins"), (certificate.Status, certificate.Title));

        var quota = await Assert.ThrowsAsync<BerthApiException>(() => member.AddRouteAsync(new RouteRequest { Container = hanas, Domain = MemberDomain("two") }));
        Assert.Equal((403, "Quota exceeded"), (quota.Status, quota.Title));
        Assert.Contains("routes", quota.Message, StringComparison.Ordinal);

        Assert.Equal(before, await ProxyStateAsync());
        var usage = (await env.Client.GetQuotaAsync(hana)).Items.Single(u => u.Resource == "routes");
        Assert.Equal((1L, 1L), (usage.Used, usage.Limit));
    }

    [Fact]
    public async Task Transfer_CarriesTheRoutesToTheNewOwner_AndDeletingTheContainerRemovesThem()
    {
        var (ivan, ivanClient) = await MemberAsync("ri");
        using var _ = ivanClient;
        var (judy, judyClient) = await MemberAsync("rj");
        using var __ = judyClient;
        var web = await WebServerAsync("riweb", ivan, "moving-page");
        var domain = MemberDomain("moving");
        await env.SucceedAsync(ivanClient.AddRouteAsync(new RouteRequest { Container = web, Domain = domain }));

        await env.ChangeStateAsync(web, "stop");
        await env.SucceedAsync(env.Client.UpdateConfigAsync(web, new ConfigUpdateRequest { Set = new Dictionary<string, string> { ["owner"] = judy } }));

        Assert.Empty(await ivanClient.ListRoutesAsync());
        Assert.Equal(404, (await Assert.ThrowsAsync<BerthApiException>(() => ivanClient.RemoveRouteAsync(domain))).Status);
        Assert.Equal(judy, Assert.Single(await judyClient.ListRoutesAsync()).Owner);
        Assert.Equal(0L, (await env.Client.GetQuotaAsync(ivan)).Items.Single(u => u.Resource == "routes").Used);
        Assert.Equal(1L, (await env.Client.GetQuotaAsync(judy)).Items.Single(u => u.Resource == "routes").Used);

        await env.SucceedAsync(judyClient.DeleteAsync(web, force: true));
        Assert.DoesNotContain(await env.Client.ListRoutesAsync(), r => r.Domain == domain);
    }
}
