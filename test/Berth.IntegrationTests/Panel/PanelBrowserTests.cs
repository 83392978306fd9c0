using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Berth.IntegrationTests.Panel.PanelPages;

namespace Berth.IntegrationTests.Panel;

/// <summary>The web panel in real headless Chromium: containers, snapshots, pools, networks and images by clicking.</summary>
public sealed class PanelBrowserTests(HttpBerthEnvironment env) : IClassFixture<HttpBerthEnvironment>, IAsyncLifetime
{
    private PanelBrowser _browser = null!;

    public async Task InitializeAsync() => _browser = await PanelBrowser.LaunchAsync();

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _browser.AssertClean();
    }

    private ILocator Row(IPage page, string name) => page.Locator($"#containers tr[data-name='{name}']");

    [Fact]
    public async Task Panel_LoginLaunchStopRenameDelete_ByClicking()
    {
        var page = await _browser.NewPageAsync();
        await page.GotoAsync(env.BaseAddress.ToString());

        // An admin user logs in with a password; a wrong one is refused on the page.
        var admin = env.Name("padmin");
        await env.Client.CreateUserAsync(new UserCreateRequest { Name = admin, Role = "admin", Password = "panel-password-1" });
        await page.FillAsync("#user", admin);
        await page.FillAsync("#password", "wrong-password");
        await page.ClickAsync("#login-form button[type=submit]");
        await Assertions.Expect(page.Locator("#login-error")).ToContainTextAsync("wrong");
        await page.FillAsync("#password", "panel-password-1");
        await page.ClickAsync("#login-form button[type=submit]");
        await Assertions.Expect(page.Locator("#me")).ToHaveTextAsync($"{admin} (admin)");

        var name = env.Name("panel");
        await GoAsync(page, env, "launch");
        await page.FillAsync("#launch-name", name);
        await page.SelectOptionAsync("#launch-image", "busybox");
        await page.ClickAsync("#launch-form button[type=submit]");
        // The wizard ends on the container's page once it runs.
        var status = page.Locator(".container-page .status");
        await Assertions.Expect(status).ToHaveTextAsync("running", new() { Timeout = 30_000 });
        Assert.Equal(ContainerStatus.Running, (await env.Client.GetContainerAsync(name)).Status);

        await page.ClickAsync("button[data-action=stop]");
        await Assertions.Expect(status).ToHaveTextAsync("stopped", new() { Timeout = 30_000 });
        Assert.Equal(ContainerStatus.Stopped, (await env.Client.GetContainerAsync(name)).Status);

        var renamed = env.Name("panelren");
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync(renamed);
        await page.ClickAsync("button[data-action=rename]");
        await Assertions.Expect(page.Locator($".container-page[data-name='{renamed}'] .status")).ToHaveTextAsync("stopped", new() { Timeout = 30_000 });
        Assert.DoesNotContain(await env.Client.ListContainersAsync(), c => c.Name == name);

        // Deleting asks for the name to be typed.
        await page.ClickAsync("button[data-action=delete]");
        await AnswerConfirmAsync(page, renamed, confirm: true, typeName: renamed);
        await Assertions.Expect(page.Locator(".container-page")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        await Assertions.Expect(Row(page, renamed)).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        Assert.DoesNotContain(await env.Client.ListContainersAsync(), c => c.Name == renamed);

        // A refused launch shows the daemon's reason next to the field it names.
        await env.LaunchAsync(name, start: false);
        await GoAsync(page, env, "launch");
        await page.FillAsync("#launch-name", name);
        await page.ClickAsync("#launch-form button[type=submit]");
        await Assertions.Expect(page.Locator("#launch-name-error")).ToContainTextAsync("already exists");

        await page.ClickAsync("#logout");
        await Assertions.Expect(page.Locator("#login-form")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Panel_SetupLink_SetsThePassword_ThenTheMemberLogsInWithIt()
    {
        var member = env.Name("pmember");
        var created = await env.Client.CreateUserAsync(new UserCreateRequest { Name = member, Role = "member" });
        var page = await _browser.NewPageAsync();
        await page.GotoAsync(created.Setup!.Url!.Replace("http://127.0.0.1:" + env.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/", env.BaseAddress.ToString(), StringComparison.Ordinal));

        await Assertions.Expect(page.Locator("#setup-form")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#setup-user")).ToHaveTextAsync(member);
        await page.FillAsync("#setup-password", "member-password-1");
        await page.ClickAsync("#setup-form button[type=submit]");
        await Assertions.Expect(page.Locator("#login-form")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#user")).ToHaveValueAsync(member);
        Assert.True((await env.Client.GetUserAsync(member)).HasPassword);

        await page.FillAsync("#password", "member-password-1");
        await page.ClickAsync("#login-form button[type=submit]");
        await Assertions.Expect(page.Locator("#me")).ToHaveTextAsync($"{member} (member)");
    }

    [Fact]
    public async Task Panel_Member_SeesOwnContainersAndQuota_NoAdminView_AdminSeesOwners()
    {
        var alice = env.Name("alice");
        await env.Client.CreateUserAsync(new UserCreateRequest { Name = alice, Role = "member", Password = "alice-password-1" });
        await env.Client.UpdateQuotaAsync(alice, new QuotaUpdateRequest { Set = new Dictionary<string, string> { ["containers"] = "2" } });
        var hers = env.Name("alicebox");
        var roots = env.Name("rootbox");
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = hers, Image = "busybox", Owner = alice, Start = false }));
        await env.LaunchAsync(roots, start: false);

        var page = await LogInAsync(_browser, env, alice, "alice-password-1");
        await Assertions.Expect(page.Locator("#me")).ToHaveTextAsync($"{alice} (member)");
        await Assertions.Expect(Row(page, hers)).ToHaveCountAsync(1, new() { Timeout = 10_000 });
        await Assertions.Expect(Row(page, roots)).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#containers .owner")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#quota tr[data-resource=containers] .usage")).ToHaveTextAsync("1 / 2");
        await Assertions.Expect(page.Locator("#quota tr[data-resource=memory]")).ToHaveCountAsync(0);
        // No admin view: no link, and its address shows nothing of it.
        await Assertions.Expect(page.Locator("a[href='#/admin/members']")).ToHaveCountAsync(0);
        await GoAsync(page, env, "admin/members");
        await Assertions.Expect(page.Locator("#members")).ToHaveCountAsync(0);

        var admin = await LogInWithTokenAsync(_browser, env);
        await Assertions.Expect(admin.Locator("#owner-column")).ToBeVisibleAsync();
        await Assertions.Expect(admin.Locator($"#containers tr[data-name='{hers}'] .owner")).ToHaveTextAsync(alice, new() { Timeout = 10_000 });
        await Assertions.Expect(admin.Locator($"#containers tr[data-name='{roots}'] .owner")).ToHaveTextAsync("root");
        await Assertions.Expect(admin.Locator("#quota")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Panel_PublishStoppedContainer_LaunchFromIt_DeleteImage_ByClicking()
    {
        var page = await LogInWithTokenAsync(_browser, env);
        var name = env.Name("pansrc");
        await env.LaunchAsync(name);
        await env.ExecAsync(name, "sh", "-c", "echo from-panel > /root/mark");
        await env.ChangeStateAsync(name, "stop", force: true);

        var alias = $"{env.Prefix}/panel";
        await GoAsync(page, env, "admin/images");
        await Assertions.Expect(page.Locator("#publish-container option", new() { HasTextString = name })).ToHaveCountAsync(1, new() { Timeout = 10_000 });
        await page.SelectOptionAsync("#publish-container", name);
        await page.FillAsync("#publish-alias", alias);
        await page.ClickAsync("#publish-form button[type=submit]");
        var row = page.Locator($"#images tr[data-alias='{alias}']");
        await Assertions.Expect(row.Locator(".origin")).ToHaveTextAsync("published", new() { Timeout = 30_000 });

        // Publishing under a taken name shows the daemon's reason.
        await page.FillAsync("#publish-alias", alias);
        await page.ClickAsync("#publish-form button[type=submit]");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("already exists");

        var launched = env.Name("panfromimg");
        await GoAsync(page, env, "launch");
        await page.FillAsync("#launch-name", launched);
        await page.SelectOptionAsync("#launch-image", alias);
        await page.ClickAsync("#launch-form button[type=submit]");
        await Assertions.Expect(page.Locator(".container-page .status")).ToHaveTextAsync("running", new() { Timeout = 30_000 });
        Assert.Equal("from-panel\n", (await env.ExecAsync(launched, "cat", "/root/mark")).Stdout);

        // An image in use offers no delete; once its container is gone it does.
        await GoAsync(page, env, "admin/images");
        await Assertions.Expect(row).ToHaveCountAsync(1, new() { Timeout = 10_000 });
        await Assertions.Expect(row.Locator("button[data-action=delete]")).ToHaveCountAsync(0);
        await env.SucceedAsync(env.Client.DeleteAsync(launched, force: true));
        await row.Locator("button[data-action=delete]").ClickAsync(new() { Timeout = 10_000 });
        await AnswerConfirmAsync(page, alias, confirm: true);
        await Assertions.Expect(row).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        Assert.DoesNotContain(await env.Client.ListImagesAsync(), i => i.Alias == alias);
    }

    [Fact]
    public async Task Panel_CreateNetwork_LaunchOnIt_DeleteItOnceUnused_ByClicking()
    {
        var page = await LogInWithTokenAsync(_browser, env);
        await GoAsync(page, env, "admin/networks");
        var network = env.NetworkName("pn");
        var subnet = env.NextSubnet();
        await page.FillAsync("#network-name", network);
        await page.FillAsync("#network-subnet", subnet);
        await page.ClickAsync("#network-form button[type=submit]");
        var row = page.Locator($"#networks tr[data-name='{network}']");
        await Assertions.Expect(row).ToContainTextAsync(subnet, new() { Timeout = 30_000 });
        Assert.True((await env.Client.GetNetworkAsync(network)).Nat);

        // A subnet that does not parse is refused next to the field, and nothing is made.
        await page.FillAsync("#network-name", env.NetworkName("pbad"));
        await page.FillAsync("#network-subnet", "10.1.2.3/99");
        await page.ClickAsync("#network-form button[type=submit]");
        await Assertions.Expect(page.Locator("#network-subnet-error")).ToContainTextAsync("10.1.2.3/99");
        Assert.DoesNotContain(await env.Client.ListNetworksAsync(), n => n.Name == env.NetworkName("pbad"));

        // In use, it offers no delete; once its container is gone it does, live.
        var name = env.Name("onpn");
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = name, Image = "busybox", Network = network, Start = false }));
        await Assertions.Expect(row.Locator(".used")).ToHaveTextAsync("1", new() { Timeout = 10_000 });
        await Assertions.Expect(row.Locator("button[data-action=delete]")).ToHaveCountAsync(0);
        await env.SucceedAsync(env.Client.DeleteAsync(name));
        await row.Locator("button[data-action=delete]").ClickAsync(new() { Timeout = 10_000 });
        await AnswerConfirmAsync(page, network, confirm: true);
        await Assertions.Expect(row).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        Assert.DoesNotContain(await env.Client.ListNetworksAsync(), n => n.Name == network);
    }

    [Fact]
    public async Task Panel_Snapshots_TakeRestoreDelete_AskFirst_ByClicking()
    {
        var page = await LogInWithTokenAsync(_browser, env);
        var name = env.Name("pansnap");
        await env.LaunchAsync(name);
        await env.ExecAsync(name, "sh", "-c", "echo v1 > /root/s");
        await GoAsync(page, env, $"containers/{name}/snapshots");
        await page.ClickAsync("button[data-action=snapshot-create]");
        await Assertions.Expect(page.Locator("#snapshots li")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        var taken = Assert.Single(await env.Client.ListSnapshotsAsync(name)).Name;
        await Assertions.Expect(page.Locator("#snapshots li")).ToHaveAttributeAsync("data-snapshot", taken);

        // Cancelling changes nothing.
        await env.ExecAsync(name, "sh", "-c", "echo v2 > /root/s");
        await page.ClickAsync("button[data-action=snapshot-restore]");
        await AnswerConfirmAsync(page, taken, confirm: false);
        await page.ClickAsync("button[data-action=snapshot-delete]");
        await AnswerConfirmAsync(page, taken, confirm: false);
        Assert.DoesNotContain(await env.Client.ListJobsAsync(), j => j.Target == name && j.Kind is "snapshot.restore" or "snapshot.delete");
        Assert.Equal("v2\n", (await env.ExecAsync(name, "cat", "/root/s")).Stdout);

        // Restoring a running container stops it, restores and starts it again.
        await page.ClickAsync("button[data-action=snapshot-restore]");
        await AnswerConfirmAsync(page, taken, confirm: true);
        await Assertions.Expect(page.Locator(".container-page .status")).ToHaveTextAsync("running", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("button[data-action=snapshot-restore]")).ToBeEnabledAsync(new() { Timeout = 30_000 });
        Assert.Equal("v1\n", (await env.ExecAsync(name, "cat", "/root/s")).Stdout);

        await page.ClickAsync("button[data-action=snapshot-delete]");
        await AnswerConfirmAsync(page, taken, confirm: true);
        await Assertions.Expect(page.Locator("#snapshots li")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        Assert.Empty(await env.Client.ListSnapshotsAsync(name));
    }

    [Fact]
    public async Task Panel_CreatePool_LaunchIntoIt_DeleteItOnceUnused_ByClicking()
    {
        var page = await LogInWithTokenAsync(_browser, env);
        await GoAsync(page, env, "admin/pools");
        var pool = env.Name("ppool");
        await page.FillAsync("#pool-name", pool);
        await page.SelectOptionAsync("#pool-driver", "overlay");
        await page.ClickAsync("#pool-form button[type=submit]");
        var row = page.Locator($"#pools tr[data-name='{pool}']");
        await Assertions.Expect(row).ToContainTextAsync("overlay", new() { Timeout = 30_000 });
        // How full the pool's filesystem is: a meter with the API's numbers and their text.
        var disk = (await env.Client.GetStoragePoolAsync(pool)).DiskTotalBytes;
        Assert.NotNull(disk);
        await Assertions.Expect(row.Locator("td.disk")).ToContainTextAsync(" of ");
        var meter = row.Locator("td.disk meter");
        await Assertions.Expect(meter).ToHaveCountAsync(1);
        Assert.InRange(double.Parse(await meter.GetAttributeAsync("value") ?? "-1", System.Globalization.CultureInfo.InvariantCulture), 0.0, 1.0);

        // A size on a pool that cannot have one is refused on the page, and nothing is made.
        await page.FillAsync("#pool-name", env.Name("pbad"));
        await page.SelectOptionAsync("#pool-driver", "dir");
        await page.FillAsync("#pool-size", "1GiB");
        await page.ClickAsync("#pool-form button[type=submit]");
        await Assertions.Expect(page.Locator("#pool-size-error")).ToContainTextAsync("size");
        Assert.DoesNotContain(await env.Client.ListStoragePoolsAsync(), p => p.Name == env.Name("pbad"));

        var name = env.Name("onpool");
        await GoAsync(page, env, "launch");
        await page.FillAsync("#launch-name", name);
        await page.SelectOptionAsync("#launch-storage", pool);
        await page.ClickAsync("#launch-form button[type=submit]");
        await Assertions.Expect(page.Locator(".container-page .status")).ToHaveTextAsync("running", new() { Timeout = 30_000 });
        Assert.Equal(pool, (await env.Client.GetContainerAsync(name)).Storage);

        await GoAsync(page, env, "admin/pools");
        await Assertions.Expect(row.Locator(".used")).ToHaveTextAsync("1", new() { Timeout = 10_000 });
        await Assertions.Expect(row.Locator("button[data-action=delete]")).ToHaveCountAsync(0);
        await env.SucceedAsync(env.Client.DeleteAsync(name, force: true));
        await row.Locator("button[data-action=delete]").ClickAsync(new() { Timeout = 10_000 });
        await AnswerConfirmAsync(page, pool, confirm: true);
        await Assertions.Expect(row).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        Assert.DoesNotContain(await env.Client.ListStoragePoolsAsync(), p => p.Name == pool);
    }

    [Fact]
    public async Task Panel_ContainerList_ShowsMemoryOfRunningContainers_AndStateChangesLive()
    {
        var running = env.Name("panmem");
        var stopped = env.Name("panmemoff");
        await env.LaunchAsync(running);
        await env.LaunchAsync(stopped, start: false);
        var page = await LogInWithTokenAsync(_browser, env);

        await Assertions.Expect(Row(page, running).Locator(".memory")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+(\.\d)? (B|KiB|MiB|GiB)$"), new() { Timeout = 10_000 });
        await Assertions.Expect(Row(page, stopped).Locator(".memory")).ToHaveTextAsync("");
        // A change made elsewhere (here the API) shows from the event stream, without reloading.
        await env.SucceedAsync(env.ChangeStateAsync(stopped, "start"));
        await Assertions.Expect(Row(page, stopped).Locator(".status")).ToHaveTextAsync("running", new() { Timeout = 10_000 });
    }

    [Fact]
    public async Task Panel_DeleteContainer_AsksForTheName_CancelKeepsIt()
    {
        var name = env.Name("panask");
        await env.LaunchAsync(name, start: false);
        var page = await LogInWithTokenAsync(_browser, env);
        await GoAsync(page, env, $"containers/{name}");

        await page.ClickAsync("button[data-action=delete]");
        await AnswerConfirmAsync(page, name, confirm: false);
        Assert.DoesNotContain(await env.Client.ListJobsAsync(), j => j.Target == name && j.Kind == "container.delete");
        Assert.Equal(ContainerStatus.Stopped, (await env.Client.GetContainerAsync(name)).Status);

        // A wrong name keeps the button disabled.
        await page.ClickAsync("button[data-action=delete]");
        await page.FillAsync("#confirm-name", name + "x");
        await Assertions.Expect(page.Locator("#confirm-ok")).ToBeDisabledAsync();
        await page.ClickAsync("#confirm-cancel");

        await page.ClickAsync("button[data-action=delete]");
        await AnswerConfirmAsync(page, name, confirm: true, typeName: name);
        await Assertions.Expect(page.Locator(".container-page")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        await Assertions.Expect(Row(page, name)).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        Assert.DoesNotContain(await env.Client.ListContainersAsync(), c => c.Name == name);
    }

    [Fact]
    public async Task Panel_DeletePoolNetworkImage_AskFirst_CancelKeepsThem()
    {
        var pool = env.Name("paskpool");
        var network = env.NetworkName("pask");
        var alias = $"{env.Prefix}/pask";
        var source = env.Name("pasksrc");
        await env.SucceedAsync(env.Client.CreateStoragePoolAsync(new StoragePoolCreateRequest { Name = pool, Driver = "overlay" }));
        await env.SucceedAsync(env.Client.CreateNetworkAsync(new NetworkCreateRequest { Name = network, Subnet = env.NextSubnet() }));
        await env.LaunchAsync(source, start: false);
        await env.SucceedAsync(env.Client.PublishImageAsync(new ImagePublishRequest { Container = source, Alias = alias }));
        await env.SucceedAsync(env.Client.DeleteAsync(source));
        var page = await LogInWithTokenAsync(_browser, env);
        var cases = new[] { ("admin/pools", $"#pools tr[data-name='{pool}']", pool), ("admin/networks", $"#networks tr[data-name='{network}']", network), ("admin/images", $"#images tr[data-alias='{alias}']", alias) };

        foreach (var (route, row, name) in cases)
        {
            await GoAsync(page, env, route);
            await page.Locator($"{row} button[data-action=delete]").ClickAsync(new() { Timeout = 10_000 });
            await AnswerConfirmAsync(page, name, confirm: false);
        }

        Assert.Contains(await env.Client.ListStoragePoolsAsync(), p => p.Name == pool);
        Assert.Contains(await env.Client.ListNetworksAsync(), n => n.Name == network);
        Assert.Contains(await env.Client.ListImagesAsync(), i => i.Alias == alias);

        foreach (var (route, row, name) in cases)
        {
            await GoAsync(page, env, route);
            await page.Locator($"{row} button[data-action=delete]").ClickAsync(new() { Timeout = 10_000 });
            await AnswerConfirmAsync(page, name, confirm: true);
            await Assertions.Expect(page.Locator(row)).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        }

        Assert.DoesNotContain(await env.Client.ListStoragePoolsAsync(), p => p.Name == pool);
        Assert.DoesNotContain(await env.Client.ListNetworksAsync(), n => n.Name == network);
        Assert.DoesNotContain(await env.Client.ListImagesAsync(), i => i.Alias == alias);
    }

    [Fact]
    public async Task Panel_ContainerNames_AreShownAsText_NeverAsMarkup()
    {
        // Names cannot carry markup (they are RFC 1123 labels), but messages can: the refusal echoes what was typed.
        var page = await LogInWithTokenAsync(_browser, env);
        await GoAsync(page, env, "launch");
        var dialogs = 0;
        page.Dialog += (_, d) => { dialogs++; _ = d.DismissAsync(); };
        await page.FillAsync("#launch-name", "<img src=x onerror=alert(1)>");
        await page.ClickAsync("#launch-form button[type=submit]");
        await Assertions.Expect(page.Locator("#launch-form")).ToContainTextAsync("not a valid container name");
        Assert.Equal(0, await page.Locator("#launch-form img").CountAsync());
        Assert.Equal(0, dialogs);
    }

    [Fact]
    public async Task ForeignPageOnAnotherLoopbackPort_CannotRideThePanelSession()
    {
        // 127.0.0.1:A and 127.0.0.1:B are the same site, so the browser sends the panel's SameSite=Strict cookie from either.
        var name = env.Name("foreign");
        await env.LaunchAsync(name);
        var network = env.NetworkName("fpg");
        var panel = env.BaseAddress.ToString().TrimEnd('/');
        var exec = $"{panel.Replace("http://", "ws://", StringComparison.Ordinal)}/api/v1/containers/{name}/exec?cmd=touch&cmd=/root/pwned";
        var body = System.Text.Json.JsonSerializer.Serialize(new { name = network, subnet = env.NextSubnet() });
        using var foreign = new ForeignPage($$"""
            <!doctype html><script>
            window.attack = Promise.all([
              new Promise(done => {
                const seen = [];
                const ws = new WebSocket('{{exec}}');
                ws.onopen = () => seen.push('open');
                ws.onerror = () => seen.push('error');
                ws.onclose = () => { seen.push('close'); done(seen.join(' ')); };
              }),
              fetch('{{panel}}/api/v1/networks', { method: 'POST', credentials: 'include', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' }, body: '{{body}}' })
                .then(r => 'post ' + r.type, e => 'post failed'),
              fetch('{{panel}}/api/v1/auth/session', { credentials: 'include' }).then(r => r.text(), e => 'session unreadable'),
            ]).then(all => all.join(' | '));
            </script>
            """);
        // The foreign page's own failures are the point here, so this page is not watched for console errors.
        var page = await _browser.NewPageAsync(watch: false);
        await page.GotoAsync(env.BaseAddress.ToString());
        await page.ClickAsync("#token-login summary");
        await page.FillAsync("#token", env.AdminToken);
        await page.ClickAsync("#token-form button[type=submit]");
        await Assertions.Expect(page.Locator("#me")).ToHaveTextAsync("root (admin)");
        await page.GotoAsync(foreign.Address.ToString());

        var outcome = await page.EvaluateAsync<string>("() => window.attack");

        Assert.DoesNotContain("open", outcome, StringComparison.Ordinal);
        Assert.Contains("session unreadable", outcome, StringComparison.Ordinal);
        Assert.DoesNotContain("pwned", (await env.ExecAsync(name, "ls", "/root")).Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(await env.Client.ListNetworksAsync(), n => n.Name == network);

        // The panel itself still works with the same session.
        await page.GotoAsync(env.BaseAddress.ToString());
        await Assertions.Expect(page.Locator("#me")).ToHaveTextAsync("root (admin)");
    }
}
