using System.Net;
using System.Net.Http.Headers;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Berth.IntegrationTests.Panel.PanelPages;

namespace Berth.IntegrationTests.Panel;

/// <summary>The panel shows a container's health and a failed backup, and creates metrics-only tokens (admins only).</summary>
public sealed class PanelHealthBackupTokenTests(HttpBerthEnvironment env) : IClassFixture<HttpBerthEnvironment>, IAsyncLifetime
{
    private PanelBrowser _browser = null!;

    public async Task InitializeAsync() => _browser = await PanelBrowser.LaunchAsync();

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _browser.AssertClean();
    }

    private static ILocator Row(IPage page, string name) => page.Locator($"#containers tr[data-name='{name}']");

    [Fact]
    public async Task Panel_FailingHealthCheck_ShowsUnhealthy_InTheListAndOnTheContainerPage()
    {
        var name = env.Name("panhl");
        await env.LaunchAsync(name);
        await env.SucceedAsync(env.Client.UpdateConfigAsync(name, new ConfigUpdateRequest
        {
            Set = new Dictionary<string, string> { ["health.command"] = "false", ["health.interval"] = "1s", ["health.retries"] = "1" },
        }));

        // The health monitor reaches its verdict on its own; the panel shows it once the API has it.
        for (var i = 0; i < 120 && (await env.Client.GetContainerAsync(name)).Health != ContainerHealth.Unhealthy; i++)
        {
            await Task.Delay(500);
        }

        var page = await LogInWithTokenAsync(_browser, env);
        var mark = Row(page, name).Locator(".health");
        await Assertions.Expect(mark).ToHaveTextAsync("unhealthy", new() { Timeout = 30_000 });
        await Assertions.Expect(Row(page, name).Locator(".status")).ToHaveTextAsync("running");
        Assert.Equal(ContainerHealth.Unhealthy, (await env.Client.GetContainerAsync(name)).Health);

        await GoAsync(page, env, $"containers/{name}");
        await Assertions.Expect(page.Locator(".container-page .heading .health")).ToHaveTextAsync("unhealthy", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#health")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^unhealthy, \d+ restarts?$"));
        await Assertions.Expect(page.Locator("#health-failure")).ToContainTextAsync(": exit status 1");
    }

    [Fact]
    public async Task Panel_FailedBackup_ShowsTheBadge_AndTheErrorOnTheContainerPage()
    {
        var target = env.Name("panbt");
        var repo = Path.Combine(env.StateDir, "repos", "panbt");
        await env.Client.AddBackupTargetAsync(new BackupTargetCreateRequest { Name = target, Url = "local:" + repo });
        var name = env.Name("panbk");
        await env.LaunchAsync(name, start: false);
        await env.SucceedAsync(env.Client.BackupAsync(name, new BackupRunRequest { Target = target }));

        // The repository moved away: restic cannot open it, the backup fails.
        Directory.Move(repo, repo + ".away");
        JobInfo failed;
        try
        {
            failed = await env.WaitAsync(env.Client.BackupAsync(name, new BackupRunRequest { Target = target }));
        }
        finally
        {
            Directory.Move(repo + ".away", repo);
        }

        Assert.Equal(JobStatus.Failed, failed.Status);
        Assert.False(string.IsNullOrWhiteSpace(failed.Error));
        var page = await LogInWithTokenAsync(_browser, env);
        await Assertions.Expect(Row(page, name).Locator(".backup-mark")).ToHaveTextAsync("backup failed", new() { Timeout = 30_000 });

        await GoAsync(page, env, $"containers/{name}");
        await Assertions.Expect(page.Locator(".container-page .heading .backup-mark")).ToHaveTextAsync("backup failed", new() { Timeout = 30_000 });
        var failure = page.Locator("#backup-failure");
        await Assertions.Expect(failure).ToContainTextAsync($"backup to {target} failed at ");
        var firstLine = failed.Error!.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
        await Assertions.Expect(failure).ToContainTextAsync(firstLine);
        await Assertions.Expect(failure).ToContainTextAsync("last success ");
    }

    [Fact]
    public async Task Panel_MetricsOnlyToken_ForAnAdmin_ReadsMetricsOnly_AndAMemberCannotGetOne()
    {
        var admin = env.Name("panmtadm");
        var member = env.Name("panmtmem");
        await env.Client.CreateUserAsync(new UserCreateRequest { Name = admin, Role = "admin", Password = "panel-admin-pass-1" });
        await env.Client.CreateUserAsync(new UserCreateRequest { Name = member, Role = "member", Password = "panel-member-pass-1" });
        var page = await LogInWithTokenAsync(_browser, env);
        await GoAsync(page, env, "admin/members");

        // A member: the refusal shows next to the scope, and no token is made.
        await page.ClickAsync($"#members tr[data-user='{member}'] button[data-action=manage]");
        await Assertions.Expect(page.Locator("#member")).ToHaveAttributeAsync("data-user", member);
        await page.FillAsync("#token-name", "scrape");
        await page.SelectOptionAsync("#token-scope", "metrics");
        await page.ClickAsync("#token-create-form button[type=submit]");
        await Assertions.Expect(page.Locator("#token-scope-error")).ToContainTextAsync("not an admin");
        await Assertions.Expect(page.Locator("#token-name-error")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#secret")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#tokens li")).ToHaveCountAsync(0);

        // An admin: the token lists with scope metrics; its value, shown once, reads /metrics and nothing else.
        await page.ClickAsync($"#members tr[data-user='{admin}'] button[data-action=manage]");
        await Assertions.Expect(page.Locator("#member")).ToHaveAttributeAsync("data-user", admin);
        await page.FillAsync("#token-name", "scrape");
        await page.SelectOptionAsync("#token-scope", "metrics");
        await page.ClickAsync("#token-create-form button[type=submit]");
        var secret = (await page.Locator("#secret-text").TextContentAsync(new() { Timeout = 30_000 }))!.Trim();
        await Assertions.Expect(page.Locator("#tokens li[data-token=scrape] .token-scope")).ToHaveTextAsync("scope metrics");

        using var http = new HttpClient { BaseAddress = env.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        using (var metrics = await http.GetAsync(new Uri("metrics", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
            Assert.Contains("berth_", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var containers = await http.GetAsync(new Uri("api/v1/containers", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, containers.StatusCode);
        }

        Assert.DoesNotContain(await env.Client.ListTokensAsync(member), t => t.Name == "scrape");
        Assert.Equal("metrics", Assert.Single(await env.Client.ListTokensAsync(admin), t => t.Name == "scrape").Scope);
    }
}
