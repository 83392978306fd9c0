using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Berth.IntegrationTests.Panel;

/// <summary>The web panel in real headless Chromium: log in, launch, stop and delete a container by clicking.</summary>
public sealed class PanelBrowserTests(HttpBerthEnvironment env) : IClassFixture<HttpBerthEnvironment>, IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    /// <summary>A page of the panel, logged in with the admin token.</summary>
    private async Task<IPage> LoggedInPageAsync()
    {
        var page = await _browser!.NewPageAsync();
        await page.GotoAsync(env.BaseAddress.ToString());
        await page.ClickAsync("#token-login summary");
        await page.FillAsync("#token", env.AdminToken);
        await page.ClickAsync("#token-form button[type=submit]");
        await Assertions.Expect(page.Locator("#app")).ToBeVisibleAsync();
        return page;
    }

    /// <summary>Answers the panel's confirmation dialog, checking that it names what is about to change.</summary>
    private static async Task AnswerConfirmAsync(IPage page, string names, bool confirm)
    {
        await Assertions.Expect(page.Locator("#confirm")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#confirm-message")).ToContainTextAsync(names);
        await page.ClickAsync(confirm ? "#confirm-ok" : "#confirm-cancel");
        await Assertions.Expect(page.Locator("#confirm")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task Panel_LoginLaunchStopDelete_ByClicking()
    {
        var page = await _browser!.NewPageAsync();
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
        await Assertions.Expect(page.Locator("#app")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#me")).ToHaveTextAsync($"{admin} (admin)");

        var name = env.Name("panel");
        await page.FillAsync("#launch-name", name);
        await page.SelectOptionAsync("#launch-image", "busybox");
        await page.ClickAsync("#launch-form button[type=submit]");
        var row = page.Locator($"#containers tr[data-name='{name}']");
        await Assertions.Expect(row.Locator(".status")).ToHaveTextAsync("running", new() { Timeout = 30_000 });
        Assert.Equal(ContainerStatus.Running, (await env.Client.GetContainerAsync(name)).Status);

        await row.Locator("button[data-action=stop]").ClickAsync();
        await Assertions.Expect(row.Locator(".status")).ToHaveTextAsync("stopped", new() { Timeout = 30_000 });
        Assert.Equal(ContainerStatus.Stopped, (await env.Client.GetContainerAsync(name)).Status);

        // Renaming asks for the new name.
        var renamed = env.Name("panelren");
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync(renamed);
        await row.Locator("button[data-action=rename]").ClickAsync();
        row = page.Locator($"#containers tr[data-name='{renamed}']");
        await Assertions.Expect(row.Locator(".status")).ToHaveTextAsync("stopped", new() { Timeout = 30_000 });
        await Assertions.Expect(row).ToContainTextAsync("default");
        Assert.DoesNotContain(await env.Client.ListContainersAsync(), c => c.Name == name);

        await row.Locator("button[data-action=delete]").ClickAsync();
        await AnswerConfirmAsync(page, renamed, confirm: true);
        await Assertions.Expect(row).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        Assert.DoesNotContain(await env.Client.ListContainersAsync(), c => c.Name == renamed);

        // A refused action shows the daemon's reason.
        await page.FillAsync("#launch-name", name);
        await page.SelectOptionAsync("#launch-image", "busybox");
        await page.ClickAsync("#launch-form button[type=submit]");
        await Assertions.Expect(page.Locator($"#containers tr[data-name='{name}'] .status")).ToHaveTextAsync("running", new() { Timeout = 30_000 });
        await page.FillAsync("#launch-name", name);
        await page.ClickAsync("#launch-form button[type=submit]");
        await Assertions.Expect(page.Locator("#error")).ToContainTextAsync("already exists");

        await page.ClickAsync("#logout");
        await Assertions.Expect(page.Locator("#login")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Panel_SetupLink_SetsThePassword_ThenTheMemberLogsInWithIt()
    {
        var member = env.Name("pmember");
        var created = await env.Client.CreateUserAsync(new UserCreateRequest { Name = member, Role = "member" });
        var page = await _browser!.NewPageAsync();
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
        await Assertions.Expect(page.Locator("#app")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#me")).ToHaveTextAsync($"{member} (member)");
    }

    [Fact]
    public async Task Panel_Member_SeesOwnContainersAndQuota_NoAdminControls_AdminSeesOwners()
    {
        var alice = env.Name("alice");
        await env.Client.CreateUserAsync(new UserCreateRequest { Name = alice, Role = "member", Password = "alice-password-1" });
        await env.Client.UpdateQuotaAsync(alice, new QuotaUpdateRequest { Set = new Dictionary<string, string> { ["containers"] = "2" } });
        var hers = env.Name("alicebox");
        var roots = env.Name("rootbox");
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = hers, Image = "busybox", Owner = alice, Start = false }));
        await env.LaunchAsync(roots, start: false);

        var page = await _browser!.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1100, Height = 760 } });
        await page.GotoAsync(env.BaseAddress.ToString());
        await page.FillAsync("#user", alice);
        await page.FillAsync("#password", "alice-password-1");
        await page.ClickAsync("#login-form button[type=submit]");
        await Assertions.Expect(page.Locator("#me")).ToHaveTextAsync($"{alice} (member)");

        // Her container only, without the owner column; her quota with its usage.
        await Assertions.Expect(page.Locator($"#containers tr[data-name='{hers}']")).ToHaveCountAsync(1, new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator($"#containers tr[data-name='{roots}']")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#containers .owner")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#owner-column")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#quota")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#quota tr[data-resource=containers] .usage")).ToHaveTextAsync("1 / 2");
        await Assertions.Expect(page.Locator("#quota tr[data-resource=memory]")).ToHaveCountAsync(0);

        // No admin-only controls: creating or deleting pools, publishing or deleting images, deleting shared networks.
        await Assertions.Expect(page.Locator("#pool-form")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#publish-form")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#pools tr[data-name]")).Not.ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#pools button[data-action=delete], #images button[data-action=delete], #networks button[data-action=delete]")).ToHaveCountAsync(0);
        if (Environment.GetEnvironmentVariable("BERTH_PANEL_SCREENSHOTS") is { Length: > 0 } screenshots)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "panel-member.png"), FullPage = true });
        }

        // Root (the admin token) is no user: no quota panel, and the owner column names each container's owner.
        var admin = await LoggedInPageAsync();
        await Assertions.Expect(admin.Locator("#me")).ToHaveTextAsync("root (admin)");
        await Assertions.Expect(admin.Locator("#owner-column")).ToBeVisibleAsync();
        await Assertions.Expect(admin.Locator($"#containers tr[data-name='{hers}'] .owner")).ToHaveTextAsync(alice, new() { Timeout = 10_000 });
        await Assertions.Expect(admin.Locator($"#containers tr[data-name='{roots}'] .owner")).ToHaveTextAsync("root");
        await Assertions.Expect(admin.Locator("#quota")).ToBeHiddenAsync();
        await Assertions.Expect(admin.Locator("#pool-form")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Panel_PublishStoppedContainer_LaunchFromIt_DeleteImage_ByClicking()
    {
        var page = await LoggedInPageAsync();

        var name = env.Name("pansrc");
        await env.LaunchAsync(name);
        await env.ExecAsync(name, "sh", "-c", "echo from-panel > /root/mark");
        await env.ChangeStateAsync(name, "stop", force: true);

        // Only stopped containers are offered for publishing.
        var alias = $"{env.Prefix}/panel";
        await Assertions.Expect(page.Locator($"#publish-container option[value='{name}']")).ToHaveCountAsync(1, new() { Timeout = 10_000 });
        await page.SelectOptionAsync("#publish-container", name);
        await page.FillAsync("#publish-alias", alias);
        await page.ClickAsync("#publish-form button[type=submit]");
        var row = page.Locator($"#images tr[data-alias='{alias}']");
        await Assertions.Expect(row.Locator(".origin")).ToHaveTextAsync("published", new() { Timeout = 30_000 });
        Assert.Equal("published", (await env.Client.GetImageAsync(alias)).Origin);

        // Publishing under a taken name shows the daemon's reason.
        await page.FillAsync("#publish-alias", alias);
        await page.ClickAsync("#publish-form button[type=submit]");
        await Assertions.Expect(page.Locator("#image-error")).ToContainTextAsync("already exists");

        var launched = env.Name("panfromimg");
        await page.FillAsync("#launch-name", launched);
        await page.SelectOptionAsync("#launch-image", alias);
        await page.ClickAsync("#launch-form button[type=submit]");
        await Assertions.Expect(page.Locator($"#containers tr[data-name='{launched}'] .status")).ToHaveTextAsync("running", new() { Timeout = 30_000 });
        Assert.Equal("from-panel\n", (await env.ExecAsync(launched, "cat", "/root/mark")).Stdout);

        // An image in use offers no delete; once its container is gone it does.
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
        var page = await LoggedInPageAsync();

        var network = env.NetworkName("pn");
        var subnet = env.NextSubnet();
        await page.FillAsync("#network-name", network);
        await page.FillAsync("#network-subnet", subnet);
        await page.ClickAsync("#network-form button[type=submit]");
        var row = page.Locator($"#networks tr[data-name='{network}']");
        await Assertions.Expect(row).ToContainTextAsync(subnet, new() { Timeout = 30_000 });
        Assert.True((await env.Client.GetNetworkAsync(network)).Nat);

        // A subnet that does not parse is refused on the page, and nothing is made.
        await page.FillAsync("#network-name", env.NetworkName("pbad"));
        await page.FillAsync("#network-subnet", "10.1.2.3/99");
        await page.ClickAsync("#network-form button[type=submit]");
        await Assertions.Expect(page.Locator("#network-error")).ToContainTextAsync("10.1.2.3/99");
        Assert.DoesNotContain(await env.Client.ListNetworksAsync(), n => n.Name == env.NetworkName("pbad"));

        // In use, it offers no delete; once its container is gone it does.
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
    public async Task Panel_Snapshots_TakeRestoreDelete_ByClicking()
    {
        var page = await LoggedInPageAsync();

        var name = env.Name("pansnap");
        await env.LaunchAsync(name);
        await env.ExecAsync(name, "sh", "-c", "echo v1 > /root/s");
        var row = page.Locator($"#containers tr[data-name='{name}']");
        await row.Locator("button[data-action=snapshots]").ClickAsync(new() { Timeout = 10_000 });
        var snapshots = page.Locator($"#containers tr.snapshots[data-for='{name}']");
        await snapshots.Locator("button[data-action=snapshot-create]").ClickAsync(new() { Timeout = 10_000 });
        await Assertions.Expect(snapshots.Locator("li")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        var taken = Assert.Single(await env.Client.ListSnapshotsAsync(name)).Name;
        await Assertions.Expect(snapshots.Locator("li")).ToHaveAttributeAsync("data-snapshot", taken);

        // Restoring a running container stops it, restores and starts it again.
        await env.ExecAsync(name, "sh", "-c", "echo v2 > /root/s");
        await snapshots.Locator("button[data-action=snapshot-restore]").ClickAsync();
        await AnswerConfirmAsync(page, taken, confirm: true);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var content = "";
        while (content != "v1\n" && DateTime.UtcNow < deadline)
        {
            try
            {
                content = (await env.ExecAsync(name, "cat", "/root/s")).Stdout;
            }
            catch (Berth.Client.BerthApiException)
            {
                // Stopped for the moment of the restore.
            }

            await Task.Delay(250);
        }

        Assert.Equal("v1\n", content);
        await snapshots.Locator("button[data-action=snapshot-delete]").ClickAsync(new() { Timeout = 30_000 });
        await AnswerConfirmAsync(page, taken, confirm: true);
        await Assertions.Expect(snapshots.Locator("li")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        Assert.Empty(await env.Client.ListSnapshotsAsync(name));
    }

    [Fact]
    public async Task Panel_CreatePool_LaunchIntoIt_DeleteItOnceUnused_ByClicking()
    {
        var page = await LoggedInPageAsync();

        var pool = env.Name("ppool");
        await page.FillAsync("#pool-name", pool);
        await page.SelectOptionAsync("#pool-driver", "overlay");
        await page.ClickAsync("#pool-form button[type=submit]");
        var row = page.Locator($"#pools tr[data-name='{pool}']");
        await Assertions.Expect(row).ToContainTextAsync("overlay", new() { Timeout = 30_000 });

        // A size on a pool that cannot have one is refused on the page.
        await page.FillAsync("#pool-name", env.Name("pbad"));
        await page.SelectOptionAsync("#pool-driver", "dir");
        await page.FillAsync("#pool-size", "1GiB");
        await page.ClickAsync("#pool-form button[type=submit]");
        await Assertions.Expect(page.Locator("#pool-error")).ToContainTextAsync(env.Name("pbad"));
        Assert.DoesNotContain(await env.Client.ListStoragePoolsAsync(), p => p.Name == env.Name("pbad"));

        var name = env.Name("onpool");
        await page.FillAsync("#launch-name", name);
        await page.SelectOptionAsync("#launch-image", "busybox");
        await page.SelectOptionAsync("#launch-storage", pool);
        await page.ClickAsync("#launch-form button[type=submit]");
        var container = page.Locator($"#containers tr[data-name='{name}']");
        await Assertions.Expect(container.Locator(".status")).ToHaveTextAsync("running", new() { Timeout = 30_000 });
        Assert.Equal(pool, (await env.Client.GetContainerAsync(name)).Storage);
        await Assertions.Expect(row.Locator(".used")).ToHaveTextAsync("1", new() { Timeout = 10_000 });
        await Assertions.Expect(row.Locator("button[data-action=delete]")).ToHaveCountAsync(0);

        await env.SucceedAsync(env.Client.DeleteAsync(name, force: true));
        await row.Locator("button[data-action=delete]").ClickAsync(new() { Timeout = 10_000 });
        await AnswerConfirmAsync(page, pool, confirm: true);
        await Assertions.Expect(row).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        Assert.DoesNotContain(await env.Client.ListStoragePoolsAsync(), p => p.Name == pool);
    }

    [Fact]
    public async Task Panel_ContainerList_ShowsMemoryOfRunningContainers()
    {
        var running = env.Name("panmem");
        var stopped = env.Name("panmemoff");
        await env.LaunchAsync(running);
        await env.LaunchAsync(stopped, start: false);
        var page = await LoggedInPageAsync();

        await Assertions.Expect(page.Locator($"#containers tr[data-name='{running}'] .memory")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+(\.\d)? (B|KiB|MiB|GiB)$"), new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator($"#containers tr[data-name='{stopped}'] .memory")).ToHaveTextAsync("");
    }

    [Fact]
    public async Task Panel_DeleteContainer_AsksFirst_CancelKeepsIt()
    {
        var name = env.Name("panask");
        await env.LaunchAsync(name, start: false);
        var page = await LoggedInPageAsync();
        var row = page.Locator($"#containers tr[data-name='{name}']");

        await row.Locator("button[data-action=delete]").ClickAsync(new() { Timeout = 10_000 });
        await AnswerConfirmAsync(page, name, confirm: false);

        Assert.DoesNotContain(await env.Client.ListJobsAsync(), j => j.Target == name && j.Kind == "container.delete");
        Assert.Equal(ContainerStatus.Stopped, (await env.Client.GetContainerAsync(name)).Status);
        await Assertions.Expect(row.Locator(".status")).ToHaveTextAsync("stopped");

        await row.Locator("button[data-action=delete]").ClickAsync();
        await AnswerConfirmAsync(page, name, confirm: true);
        await Assertions.Expect(row).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        Assert.DoesNotContain(await env.Client.ListContainersAsync(), c => c.Name == name);
    }

    [Fact]
    public async Task Panel_RestoreAndDeleteSnapshot_AskFirst_CancelChangesNothing()
    {
        var name = env.Name("pansnapask");
        await env.LaunchAsync(name);
        await env.ExecAsync(name, "sh", "-c", "echo v1 > /root/s");
        await env.SucceedAsync(env.Client.CreateSnapshotAsync(name, new SnapshotCreateRequest { Name = "before" }));
        await env.ExecAsync(name, "sh", "-c", "echo v2 > /root/s");
        var page = await LoggedInPageAsync();
        await page.Locator($"#containers tr[data-name='{name}'] button[data-action=snapshots]").ClickAsync(new() { Timeout = 10_000 });
        var snapshot = page.Locator($"#containers tr.snapshots[data-for='{name}'] li[data-snapshot='before']");

        await snapshot.Locator("button[data-action=snapshot-restore]").ClickAsync(new() { Timeout = 10_000 });
        await AnswerConfirmAsync(page, "before", confirm: false);
        await snapshot.Locator("button[data-action=snapshot-delete]").ClickAsync();
        await AnswerConfirmAsync(page, "before", confirm: false);

        Assert.DoesNotContain(await env.Client.ListJobsAsync(), j => j.Target == name && j.Kind is "snapshot.restore" or "snapshot.delete");
        Assert.Equal("v2\n", (await env.ExecAsync(name, "cat", "/root/s")).Stdout);
        Assert.Single(await env.Client.ListSnapshotsAsync(name));

        await snapshot.Locator("button[data-action=snapshot-delete]").ClickAsync();
        await AnswerConfirmAsync(page, "before", confirm: true);
        await Assertions.Expect(snapshot).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        Assert.Empty(await env.Client.ListSnapshotsAsync(name));
        Assert.Equal("v2\n", (await env.ExecAsync(name, "cat", "/root/s")).Stdout);
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
        var page = await LoggedInPageAsync();
        var rows = new[] { $"#pools tr[data-name='{pool}']", $"#networks tr[data-name='{network}']", $"#images tr[data-alias='{alias}']" };
        var names = new[] { pool, network, alias };

        for (var i = 0; i < rows.Length; i++)
        {
            await page.Locator($"{rows[i]} button[data-action=delete]").ClickAsync(new() { Timeout = 10_000 });
            await AnswerConfirmAsync(page, names[i], confirm: false);
        }

        Assert.Contains(await env.Client.ListStoragePoolsAsync(), p => p.Name == pool);
        Assert.Contains(await env.Client.ListNetworksAsync(), n => n.Name == network);
        Assert.Contains(await env.Client.ListImagesAsync(), i => i.Alias == alias);

        for (var i = 0; i < rows.Length; i++)
        {
            await page.Locator($"{rows[i]} button[data-action=delete]").ClickAsync();
            await AnswerConfirmAsync(page, names[i], confirm: true);
            await Assertions.Expect(page.Locator(rows[i])).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        }

        Assert.DoesNotContain(await env.Client.ListStoragePoolsAsync(), p => p.Name == pool);
        Assert.DoesNotContain(await env.Client.ListNetworksAsync(), n => n.Name == network);
        Assert.DoesNotContain(await env.Client.ListImagesAsync(), i => i.Alias == alias);
    }

    [Fact]
    public async Task Panel_ContainerNames_AreShownAsText_NeverAsMarkup()
    {
        // Names cannot carry markup (they are RFC 1123 labels), but messages can: the refusal echoes what was typed.
        var page = await LoggedInPageAsync();

        var dialogs = 0;
        page.Dialog += (_, d) => { dialogs++; _ = d.DismissAsync(); };
        await page.EvaluateAsync("() => document.getElementById('launch-name').removeAttribute('pattern')");
        await page.FillAsync("#launch-name", "<img src=x onerror=alert(1)>");
        await page.ClickAsync("#launch-form button[type=submit]");
        await Assertions.Expect(page.Locator("#error")).ToContainTextAsync("not a valid container name");
        Assert.Equal(0, await page.Locator("#error img").CountAsync());
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
        var page = await LoggedInPageAsync();
        await page.GotoAsync(foreign.Address.ToString());

        var outcome = await page.EvaluateAsync<string>("() => window.attack");

        Assert.DoesNotContain("open", outcome, StringComparison.Ordinal);
        Assert.Contains("session unreadable", outcome, StringComparison.Ordinal);
        Assert.DoesNotContain("pwned", (await env.ExecAsync(name, "ls", "/root")).Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(await env.Client.ListNetworksAsync(), n => n.Name == network);

        // The panel itself still works with the same session.
        await page.GotoAsync(env.BaseAddress.ToString());
        await Assertions.Expect(page.Locator("#app")).ToBeVisibleAsync();
    }
}
