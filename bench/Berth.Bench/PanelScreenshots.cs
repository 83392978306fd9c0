using Berth.Contracts;
using Microsoft.Playwright;

namespace Berth.Bench;

/// <summary>
/// Screenshots of the panel's main pages for the docs (docs/screenshots/*.png), taken in Debian's headless Chromium
/// against the throwaway berthd with a few containers, a member with a quota and an update log: `bench/run screenshots`.
/// </summary>
public static class PanelScreenshots
{
    public static async Task RunAsync(BenchHost host)
    {
        var folder = Path.Combine(BenchHost.FindRoot(), "docs", "screenshots");
        Directory.CreateDirectory(folder);
        var member = "alice";
        await host.Client.CreateUserAsync(new UserCreateRequest { Name = member, Role = "member", Password = "screenshot-password-1" });
        await host.Client.UpdateQuotaAsync(member, new QuotaUpdateRequest { Set = new Dictionary<string, string> { ["containers"] = "5", ["memory"] = "2GiB" } });
        var limits = new Dictionary<string, string> { ["limits.memory"] = "256MiB" };
        foreach (var (name, start) in new[] { ("web", true), ("api", true), ("worker", true), ("staging", false) })
        {
            await host.RunAsync(host.Client.LaunchAsync(new LaunchRequest { Name = name, Image = "busybox", Owner = member, Config = limits, Start = start }));
        }

        await host.RunAsync(host.Client.LaunchAsync(new LaunchRequest { Name = "db", Image = "busybox", Config = limits }));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });

        // The member's pages.
        var page = await NewPageAsync(browser);
        await page.GotoAsync(host.HttpAddress.ToString());
        await page.FillAsync("#user", member);
        await page.FillAsync("#password", "screenshot-password-1");
        await page.ClickAsync("#login-form button[type=submit]");
        await page.Locator("#containers tr[data-name='web'] .memory-graph").WaitForAsync(new() { Timeout = 60_000 });
        await ShootAsync(page, folder, "containers");

        await GoAsync(page, host, "containers/web");
        await page.Locator("#cpu-usage svg").WaitForAsync(new() { Timeout = 60_000 });
        await ShootAsync(page, folder, "container");

        await GoAsync(page, host, "containers/web/console");
        await page.Locator("#console-status").Filter(new() { HasText = "connected" }).WaitForAsync(new() { Timeout = 30_000 });
        await page.ClickAsync("#console");
        await page.Keyboard.TypeAsync("uname -sr; df -h / | tail -1; ps\n");
        await page.Locator("#console .xterm-rows").Filter(new() { HasText = "PID" }).WaitForAsync(new() { Timeout = 10_000 });
        await ShootAsync(page, folder, "console");

        await GoAsync(page, host, "launch");
        await page.Locator("#launch-form").WaitForAsync();
        await page.FillAsync("#launch-name", "blog");
        await ShootAsync(page, folder, "launch");

        await GoAsync(page, host, "updates");
        await page.Locator("#updates").WaitForAsync();
        await ShootAsync(page, folder, "updates");

        // The admin's.
        var admin = await NewPageAsync(browser);
        await admin.GotoAsync(host.HttpAddress.ToString());
        await admin.ClickAsync("#token-login summary");
        await admin.FillAsync("#token", host.AdminToken);
        await admin.ClickAsync("#token-form button[type=submit]");
        await admin.Locator("#containers tr[data-name='db']").WaitForAsync();
        foreach (var (route, ready, file) in new[] { ("admin/members", "#members", "admin-members"), ("admin/host", "#host-pools tbody tr", "admin-host"), ("admin/host-network", "#no-host-bridges, #host-bridges", "admin-host-network"), ("admin/audit", "#audit tbody tr", "admin-audit") })
        {
            await GoAsync(admin, host, route);
            await admin.Locator(ready).First.WaitForAsync(new() { Timeout = 30_000 });
            await admin.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await ShootAsync(admin, folder, file);
        }

        Console.WriteLine($"screenshots: written to {folder}");
    }

    private static async Task<IPage> NewPageAsync(IBrowser browser)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 760 } });
        return await context.NewPageAsync();
    }

    private static Task GoAsync(IPage page, BenchHost host, string route) => page.GotoAsync($"{host.HttpAddress}#/{route}");

    private static async Task ShootAsync(IPage page, string folder, string name)
    {
        await page.Mouse.MoveAsync(0, 0);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}.png") });
        Console.WriteLine($"screenshots: {name}.png");
    }
}
