using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;
using Berth.IntegrationTests.Updates;
using Microsoft.Playwright;
using static Berth.IntegrationTests.Panel.PanelPages;

namespace Berth.IntegrationTests.Panel;

/// <summary>The panel's Updates page (pending upgrades, run now, the log) and the admin's read-only host network.</summary>
public sealed class PanelUpdatesHostNetworkTests(HttpBerthEnvironment env) : IClassFixture<HttpBerthEnvironment>, IAsyncLifetime
{
    private PanelBrowser _browser = null!;

    public async Task InitializeAsync() => _browser = await PanelBrowser.LaunchAsync();

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _browser.AssertClean();
    }

    private static ILocator Row(IPage page, string name) => page.Locator($"#updates tr[data-name='{name}']");

    [Fact]
    public async Task Updates_ShowsPending_RunsNow_ShowsTheLog_AndAMemberSeesOnlyTheirOwn()
    {
        var name = env.Name("pupd");
        await env.LaunchAsync(name, image: "debian/12");
        var repo = new LocalAptRepository(env, name);
        await repo.InitialiseAsync();
        await repo.AddAsync(1);
        var install = await env.ExecAsync(name, "sh", "-c", "apt-get -q update && DEBIAN_FRONTEND=noninteractive apt-get -y install berth-test-pkg");
        Assert.True(install.ExitCode == 0, install.Stderr);
        await repo.AddAsync(2);
        var busybox = env.Name("pupdbb");
        await env.LaunchAsync(busybox, start: false);

        var page = await LogInWithTokenAsync(_browser, env);
        await page.ClickAsync("nav[aria-label=Main] a[href='#/updates']");
        await Assertions.Expect(Row(page, name).Locator(".last-run")).ToHaveTextAsync("never");
        await Assertions.Expect(Row(page, busybox).Locator(".unsupported")).ToContainTextAsync("no apt");
        await Assertions.Expect(Row(page, busybox).Locator("button")).ToHaveCountAsync(0);

        // Pending: apt in the container names the package with both versions; nothing is installed by asking.
        await Row(page, name).Locator("button[data-action=pending]").ClickAsync();
        var pending = page.Locator($"#update-detail[data-name='{name}'] #pending tr[data-package='{LocalAptRepository.Package}']");
        await Assertions.Expect(pending.Locator("td")).ToHaveTextAsync(["1", "2"], new() { Timeout = 120_000 });
        Assert.Equal("1 install ok installed", await repo.InstalledAsync());

        // Run now: the job upgrades it, the row shows the run and the log names the package.
        await Row(page, name).Locator("button[data-action=run]").ClickAsync();
        await Assertions.Expect(page.Locator("#update-outcome")).ToContainTextAsync($"{name}: updated", new() { Timeout = 300_000 });
        Assert.Equal("2 install ok installed", await repo.InstalledAsync());
        var run = (await env.Client.GetUpdateStatusAsync(name)).LastRun;
        Assert.Equal("succeeded", run?.Result);
        await Assertions.Expect(Row(page, name).Locator(".last-run")).ToContainTextAsync("succeeded");
        await Assertions.Expect(Row(page, name).Locator(".last-run small")).ToHaveTextAsync(run!.Summary!);
        await Row(page, name).Locator("button[data-action=log]").ClickAsync();
        await Assertions.Expect(page.Locator("#update-log")).ToContainTextAsync(LocalAptRepository.Package);
        Assert.Contains(LocalAptRepository.Package, (await env.Client.GetUpdateLogAsync(name)).Text, StringComparison.Ordinal);

        // A member with no container of their own sees none of these.
        var member = env.Name("pupdm");
        await env.Client.CreateUserAsync(new UserCreateRequest { Name = member, Role = "member", Password = "updates-member-1" });
        var theirs = await LogInAsync(_browser, env, member, "updates-member-1");
        await GoAsync(theirs, env, "updates");
        await Assertions.Expect(theirs.Locator("#no-updates")).ToBeVisibleAsync();
        await Assertions.Expect(theirs.Locator("#updates")).ToHaveCountAsync(0);
        await env.ChangeStateAsync(name, "stop", force: true);
    }

    [Fact]
    public async Task HostNetwork_ShowsTheAppliedBridges_ForAdminsOnly()
    {
        var bridge = env.NetworkName("pbr");
        var plain = env.NetworkName("pbp");
        // An uplink of the test's own (a dummy, or a veth end where the kernel has no dummy driver) for a bridge that is no Berth network.
        var uplink = env.NetworkName("pbu");
        if ((await Host.RunAsync("ip", "link", "add", uplink, "type", "dummy")).ExitCode != 0)
        {
            await Host.RunCheckedAsync("ip", "link", "add", uplink, "type", "veth", "peer", "name", env.NetworkName("pbv"));
        }

        var subnet = env.NextSubnet().Replace(".0/24", "", StringComparison.Ordinal);
        var plainSubnet = env.NextSubnet().Replace(".0/24", "", StringComparison.Ordinal);
        var member = env.Name("phnm");
        await env.Client.CreateUserAsync(new UserCreateRequest { Name = member, Role = "member", Password = "hostnet-member-1" });
        var page = await LogInWithTokenAsync(_browser, env);
        try
        {
            await GoAsync(page, env, "admin/host-network");
            await Assertions.Expect(page.Locator("#no-host-bridges")).ToBeVisibleAsync();

            var file = $"bridges:\n  {bridge}: {{ ipv4: {subnet}.1/24, nat: true }}\n  {plain}: {{ interfaces: [{uplink}], ipv4: {plainSubnet}.1/24 }}\n";
            Assert.True((await env.Client.ApplyHostNetworkAsync(new HostApplyRequest { File = file })).Applied);
            await page.ReloadAsync();
            var row = page.Locator($"#host-bridges tr[data-bridge='{bridge}']");
            await Assertions.Expect(row.Locator(".interfaces")).ToHaveTextAsync("none");
            await Assertions.Expect(row.Locator(".ipv4")).ToHaveTextAsync($"{subnet}.1/24");
            await Assertions.Expect(row.Locator(".nat")).ToHaveTextAsync("IPv4 masqueraded");
            await Assertions.Expect(row.Locator(".network")).ToHaveTextAsync("yes");
            await Assertions.Expect(row.Locator(".present")).ToHaveTextAsync("yes");

            // A bridge that is no Berth network (it has a host interface), deleted by hand: the page says it is missing (until the next apply or start).
            var other = page.Locator($"#host-bridges tr[data-bridge='{plain}']");
            await Assertions.Expect(other.Locator(".interfaces")).ToHaveTextAsync(uplink);
            await Assertions.Expect(other.Locator(".nat")).ToHaveTextAsync("no");
            await Assertions.Expect(other.Locator(".network")).ToHaveTextAsync("no");
            await Assertions.Expect(other.Locator(".present")).ToHaveTextAsync("yes");
            await Host.RunCheckedAsync("ip", "link", "delete", plain);
            await page.ReloadAsync();
            await Assertions.Expect(other.Locator(".present")).ToHaveTextAsync("missing");
            await Assertions.Expect(row.Locator(".present")).ToHaveTextAsync("yes");

            // A member has no Admin section, and the route is not found for them.
            var theirs = await LogInAsync(_browser, env, member, "hostnet-member-1");
            await Assertions.Expect(theirs.Locator("nav[aria-label=Main] a[href='#/admin/members']")).ToHaveCountAsync(0);
            await GoAsync(theirs, env, "admin/host-network");
            await Assertions.Expect(theirs.Locator("main h1")).ToHaveTextAsync("Not found");
            await Assertions.Expect(theirs.Locator("#host-bridges")).ToHaveCountAsync(0);
        }
        finally
        {
            await env.Client.ApplyHostNetworkAsync(new HostApplyRequest { File = "bridges: {}" });
            await Host.RunAsync("ip", "link", "delete", bridge);
            await Host.RunAsync("ip", "link", "delete", plain);
            await Host.RunAsync("ip", "link", "delete", uplink);
        }
    }
}
