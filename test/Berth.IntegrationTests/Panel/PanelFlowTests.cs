using System.Globalization;
using System.Text.Json;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Berth.IntegrationTests.Panel.PanelPages;

namespace Berth.IntegrationTests.Panel;

/// <summary>
/// What members and admins do in the panel, end to end in Chromium: launch from the wizard, forwards, SSH keys, the
/// console surviving a page refresh, members and quotas, isolation between members, accessibility.
/// </summary>
public sealed class PanelFlowTests(HttpBerthEnvironment env) : IClassFixture<HttpBerthEnvironment>, IAsyncLifetime
{
    private PanelBrowser _browser = null!;

    public async Task InitializeAsync() => _browser = await PanelBrowser.LaunchAsync();

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _browser.AssertClean();
    }

    private async Task<string> MemberAsync(string hint, string password)
    {
        var name = env.Name(hint);
        await env.Client.CreateUserAsync(new UserCreateRequest { Name = name, Role = "member", Password = password });
        return name;
    }

    private async Task<string> SharedNetworkAsync(string hint)
    {
        var network = env.NetworkName(hint);
        await env.SucceedAsync(env.Client.CreateNetworkAsync(new NetworkCreateRequest { Name = network, Subnet = env.NextSubnet() }));
        return network;
    }

    [Fact]
    public async Task Member_LaunchesFromTheWizard_AddsForwardAndKey_ConsoleSurvivesARefresh()
    {
        var member = await MemberAsync("mflow", "member-password-1");
        await env.Client.UpdateQuotaAsync(member, new QuotaUpdateRequest { Set = new Dictionary<string, string> { ["containers"] = "2", ["memory"] = "1GiB" } });
        var network = await SharedNetworkAsync("mf");
        var page = await LogInAsync(_browser, env, member, "member-password-1");

        // The wizard: a memory quota needs a memory limit, and the refusal lands next to that field.
        var name = env.Name("mbox");
        await page.ClickAsync("#launch-link");
        await page.FillAsync("#launch-name", name);
        await page.SelectOptionAsync("#launch-image", "busybox");
        await page.SelectOptionAsync("#launch-network", network);
        await page.ClickAsync("#launch-form button[type=submit]");
        await Assertions.Expect(page.Locator("#launch-memory-error")).ToContainTextAsync("limits.memory");
        Assert.DoesNotContain(await env.Client.ListContainersAsync(), c => c.Name == name);

        await page.FillAsync("#launch-memory", "256MiB");
        await page.ClickAsync("#launch-form button[type=submit]");
        await Assertions.Expect(page.Locator(".container-page .status")).ToHaveTextAsync("running", new() { Timeout = 30_000 });
        var container = await env.Client.GetContainerAsync(name);
        Assert.Equal(member, container.Owner);
        Assert.Equal("256MiB", container.Config["limits.memory"]);
        await Assertions.Expect(page.Locator(".addresses")).ToContainTextAsync(container.Ipv4!);

        // A forward from the member port range and an SSH key, on the Forwards and SSH tab.
        await page.ClickAsync("a[data-tab=network]");
        var port = 30000 + (Environment.ProcessId % 9000);
        var ports = $"{port.ToString(CultureInfo.InvariantCulture)}:80/tcp";
        await page.FillAsync("#forward-ports", ports);
        await page.ClickAsync("#forward-form button[type=submit]");
        await Assertions.Expect(page.Locator($"#forwards li[data-forward='{ports}']")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        Assert.Contains(await env.Client.ListForwardsAsync(name), f => f.HostPort == port && f.ContainerPort == 80);

        // A port outside the member range is refused next to the field.
        await page.FillAsync("#forward-ports", "8081:80/tcp");
        await page.ClickAsync("#forward-form button[type=submit]");
        await Assertions.Expect(page.Locator("#forward-ports-error")).ToContainTextAsync("30000");
        Assert.DoesNotContain(await env.Client.ListForwardsAsync(name), f => f.HostPort == 8081);

        var publicKey = await NewPublicKeyAsync("member@panel");
        await page.FillAsync("textarea#ssh-key", publicKey);
        await page.ClickAsync("#ssh-key-form button[type=submit]");
        await Assertions.Expect(page.Locator("#ssh-keys li")).ToContainTextAsync("member@panel", new() { Timeout = 30_000 });
        Assert.Equal("member@panel", Assert.Single(await env.Client.ListSshKeysAsync(name)).Comment);

        await page.ClickAsync("#ssh-enable");
        await Assertions.Expect(page.Locator("#ssh-command")).ToContainTextAsync("ssh -p ", new() { Timeout = 30_000 });
        var sshPort = (await env.Client.ListForwardsAsync(name)).Single(f => f.Ssh).HostPort;
        await Assertions.Expect(page.Locator("#ssh-command")).ToHaveTextAsync($"ssh -p {sshPort.ToString(CultureInfo.InvariantCulture)} root@127.0.0.1", new() { Timeout = 30_000 });

        await page.ClickAsync("a[href='#/']");
        await Assertions.Expect(page.Locator($"#containers tr[data-name='{name}'] .status")).ToHaveTextAsync("running");
        await Assertions.Expect(page.Locator($"#containers tr[data-name='{name}'] .memory-graph")).ToBeVisibleAsync(new() { Timeout = 20_000 });

        // The console: run a command, see its output, refresh, and find the same shell.
        await GoAsync(page, env, $"containers/{name}/console");
        await Assertions.Expect(page.Locator("#console-status")).ToHaveTextAsync("connected", new() { Timeout = 20_000 });
        await page.ClickAsync("#console");
        await page.Keyboard.TypeAsync("export PANELMARK=kept42; echo \"mark=$PANELMARK\"\n");
        await Assertions.Expect(page.Locator("#console .xterm-rows")).ToContainTextAsync("mark=kept42", new() { Timeout = 10_000 });

        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#console-status")).ToHaveTextAsync("reattached", new() { Timeout = 20_000 });
        await page.ClickAsync("#console");
        await page.Keyboard.TypeAsync("echo \"again=$PANELMARK\"\n");
        await Assertions.Expect(page.Locator("#console .xterm-rows")).ToContainTextAsync("again=kept42", new() { Timeout = 10_000 });
    }

    [Fact]
    public async Task Login_AsksForTheCode_WhenTheAccountHasTotp_AndTakesTheRightOne()
    {
        var member = await MemberAsync("ptotp", "totp-password-1");
        var totp = await env.Client.EnableTotpAsync(member);
        var secret = Berth.Daemon.Users.Base32.Decode(System.Text.RegularExpressions.Regex.Match(totp.Uri, "secret=([A-Z2-7]+)").Groups[1].Value);
        var page = await _browser.NewPageAsync();
        await page.GotoAsync(env.BaseAddress.ToString());
        await Assertions.Expect(page.Locator("#code")).ToHaveCountAsync(0);
        await page.FillAsync("#user", member);
        await page.FillAsync("#password", "totp-password-1");
        await page.ClickAsync("#login-form button[type=submit]");
        await Assertions.Expect(page.Locator("#code")).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("#login-error")).ToContainTextAsync("6-digit code");

        // The code of a step hours away is a wrong one.
        await page.FillAsync("#code", Berth.Daemon.Users.Totp.Code(secret, Berth.Daemon.Users.Totp.StepAt(DateTimeOffset.UtcNow) + 1000));
        await page.ClickAsync("#login-form button[type=submit]");
        await Assertions.Expect(page.Locator("#login-error")).ToContainTextAsync("wrong");
        await Assertions.Expect(page.Locator("#me")).ToHaveCountAsync(0);

        await page.FillAsync("#code", Berth.Daemon.Users.Totp.Code(secret, Berth.Daemon.Users.Totp.StepAt(DateTimeOffset.UtcNow)));
        await page.ClickAsync("#login-form button[type=submit]");
        await Assertions.Expect(page.Locator("#me")).ToHaveTextAsync($"{member} (member)");
    }

    [Fact]
    public async Task Admin_AddsMember_SetsQuota_SeesItInTheAuditLog()
    {
        var page = await LogInWithTokenAsync(_browser, env);
        await GoAsync(page, env, "admin/members");
        var member = env.Name("newbie");
        await page.FillAsync("#member-name", member);
        await page.ClickAsync("#member-form button[type=submit]");
        // Without a password the member gets a setup link, shown once.
        await Assertions.Expect(page.Locator("#secret-text")).ToContainTextAsync("#setup=");
        var row = page.Locator($"#members tr[data-user='{member}']");
        await Assertions.Expect(row.Locator(".state")).ToHaveTextAsync("setup pending");
        Assert.False((await env.Client.GetUserAsync(member)).HasPassword);

        await row.Locator("button[data-action=manage]").ClickAsync();
        await page.FillAsync("#quota-containers", "3");
        await page.FillAsync("#quota-memory", "2GiB");
        await page.ClickAsync("#quota-form button[type=submit]");
        await Assertions.Expect(page.Locator("#quota-saved")).ToBeVisibleAsync();
        var quota = await env.Client.GetQuotaAsync(member);
        Assert.Equal(3, quota.Items.Single(i => i.Resource == "containers").Limit);
        Assert.Equal(2L << 30, quota.Items.Single(i => i.Resource == "memory").Limit);

        // A bad value is refused next to its field and changes nothing.
        await page.FillAsync("#quota-containers", "lots");
        await page.ClickAsync("#quota-form button[type=submit]");
        await Assertions.Expect(page.Locator("#quota-containers-error")).ToBeVisibleAsync();
        Assert.Equal(3, (await env.Client.GetQuotaAsync(member)).Items.Single(i => i.Resource == "containers").Limit);

        await page.ClickAsync("#member button[data-action=disable]");
        await Assertions.Expect(row.Locator(".state")).ToHaveTextAsync("disabled");
        Assert.True((await env.Client.GetUserAsync(member)).Disabled);
        await page.ClickAsync("#member button[data-action=enable]");
        await Assertions.Expect(row.Locator(".state")).ToHaveTextAsync("setup pending");

        await GoAsync(page, env, "admin/audit");
        await page.FillAsync("#audit-user", "root");
        await page.ClickAsync("#audit-filter button[type=submit]");
        var audit = page.Locator("#audit tbody tr");
        await Assertions.Expect(audit.Filter(new() { HasText = member }).First).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("#audit")).ToContainTextAsync("quota");
    }

    [Fact]
    public async Task Member_CannotSeeAnotherMembersContainer_NotListed_ItsPageSaysNotFound()
    {
        var alice = await MemberAsync("aiso", "alice-password-1");
        var bob = await MemberAsync("biso", "bob-password-12");
        var hers = env.Name("aisobox");
        var his = env.Name("bisobox");
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = hers, Image = "busybox", Owner = alice, Start = false }));
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = his, Image = "busybox", Owner = bob, Start = false }));

        var page = await LogInAsync(_browser, env, bob, "bob-password-12");
        await Assertions.Expect(page.Locator($"#containers tr[data-name='{his}']")).ToHaveCountAsync(1, new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator($"#containers tr[data-name='{hers}']")).ToHaveCountAsync(0);

        foreach (var tab in new[] { "", "/snapshots", "/network", "/console" })
        {
            await GoAsync(page, env, $"containers/{hers}{tab}");
            await Assertions.Expect(page.Locator("#not-found")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator(".container-page")).ToHaveCountAsync(0);
        }

        // Her container's events do not reach his page either: a change to it leaves his list as it was.
        await env.SucceedAsync(env.ChangeStateAsync(hers, "start"));
        await GoAsync(page, env, "");
        await Assertions.Expect(page.Locator($"#containers tr[data-name='{his}']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator($"#containers tr[data-name='{hers}']")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task MainPages_HaveNoSeriousAccessibilityViolations_AtDesktopAndPhoneWidth()
    {
        var member = await MemberAsync("axe", "axe-password-1");
        var name = env.Name("axebox");
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = name, Image = "busybox", Owner = member }));
        var axe = await File.ReadAllTextAsync(AxeScript());

        foreach (var width in new[] { 1200, 390 })
        {
            var anonymous = await _browser.NewPageAsync(width);
            await anonymous.GotoAsync(env.BaseAddress.ToString());
            await Assertions.Expect(anonymous.Locator("#login-form")).ToBeVisibleAsync();
            await AssertAccessibleAsync(anonymous, axe, "login");

            var page = await LogInAsync(_browser, env, member, "axe-password-1", width);
            foreach (var route in new[] { "", $"containers/{name}", $"containers/{name}/snapshots", $"containers/{name}/network", "launch", "jobs", "updates" })
            {
                await GoAsync(page, env, route);
                await Assertions.Expect(page.Locator("main h1")).ToBeVisibleAsync();
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                await AssertAccessibleAsync(page, axe, route);
            }

            var admin = await LogInWithTokenAsync(_browser, env, width);
            foreach (var route in new[] { "admin/members", "admin/host", "admin/host-network", "admin/networks", "admin/pools", "admin/images", "admin/proxy", "admin/audit" })
            {
                await GoAsync(admin, env, route);
                await Assertions.Expect(admin.Locator("main h1")).ToBeVisibleAsync();
                await admin.WaitForLoadStateAsync(LoadState.NetworkIdle);
                await AssertAccessibleAsync(admin, axe, route);
            }
        }

        // Keyboard alone: Tab reaches the skip link first, and focus is visible.
        var keyboard = await LogInAsync(_browser, env, member, "axe-password-1");
        await keyboard.Keyboard.PressAsync("Tab");
        Assert.Equal("skip", await keyboard.EvaluateAsync<string>("() => document.activeElement.className"));
        var outline = await keyboard.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle");
        Assert.NotEqual("none", outline);
    }

    private static async Task<string> NewPublicKeyAsync(string comment)
    {
        var dir = Directory.CreateTempSubdirectory("berth-panel-key-");
        try
        {
            await Host.RunCheckedAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", Path.Combine(dir.FullName, "key"));
            return (await File.ReadAllTextAsync(Path.Combine(dir.FullName, "key.pub"))).Trim();
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>Runs axe-core (from panel/node_modules, evaluated like devtools would, so the CSP stays as it is).</summary>
    private static async Task AssertAccessibleAsync(IPage page, string axe, string what)
    {
        await page.EvaluateAsync(axe);
        var json = await page.EvaluateAsync<string>("""
            async () => {
              const result = await axe.run(document, { resultTypes: ['violations'] });
              return JSON.stringify(result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5) })));
            }
            """);
        using var violations = JsonDocument.Parse(json);
        Assert.True(violations.RootElement.GetArrayLength() == 0, $"axe on {what} ({page.ViewportSize?.Width}px): {json}");
    }

    private static string AxeScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "panel", "node_modules", "axe-core", "axe.min.js");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("panel/node_modules/axe-core/axe.min.js: build the daemon (it runs npm ci in panel/) first");
    }
}
