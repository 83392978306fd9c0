using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Berth.IntegrationTests.Panel.PanelPages;

namespace Berth.IntegrationTests.Panel;

/// <summary>The panel's Backups tab (back up now, restore in place) and the admin's backup targets and failing backups, with real restic.</summary>
public sealed class PanelBackupsTests(HttpBerthEnvironment env) : IClassFixture<HttpBerthEnvironment>, IAsyncLifetime
{
    private PanelBrowser _browser = null!;

    public async Task InitializeAsync() => _browser = await PanelBrowser.LaunchAsync();

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _browser.AssertClean();
    }

    [Fact]
    public async Task Backups_BackUpAndRestoreByClicking_AndAFailureShowsUnderAdmin()
    {
        var target = env.Name("pbkt");
        var repo = Path.Combine(env.StateDir, "repos", "pbkt");
        await env.Client.AddBackupTargetAsync(new BackupTargetCreateRequest { Name = target, Url = "local:" + repo });
        var name = env.Name("pbk");
        await env.LaunchAsync(name, start: false);
        var marker = Path.Combine(env.LxcPath, name, "rootfs", "root", "marker");
        await File.WriteAllTextAsync(marker, "before the backup\n");

        var page = await LogInWithTokenAsync(_browser, env);
        await GoAsync(page, env, $"containers/{name}");
        await page.ClickAsync("a[data-tab=backups]");
        await Assertions.Expect(page.Locator("#no-backups")).ToBeVisibleAsync();
        await page.SelectOptionAsync("#backup-target", target);
        await page.ClickAsync("button[data-action=backup-run]");
        await Assertions.Expect(page.Locator("#backup-done")).ToHaveTextAsync($"{name} backed up", new() { Timeout = 120_000 });
        var backup = Assert.Single(await env.Client.ListBackupsAsync(name));
        await Assertions.Expect(page.Locator($"#backups li[data-backup='{backup.Id}']")).ToContainTextAsync($"{backup.Id} in {target}");

        // Restore in place (the container is stopped): asks first, then the file is as it was.
        File.Delete(marker);
        await page.ClickAsync($"#backups li[data-backup='{backup.Id}'] button[data-action=backup-restore]");
        await AnswerConfirmAsync(page, backup.Id, confirm: true);
        await Assertions.Expect(page.Locator("#backup-done")).ToHaveTextAsync($"{name} restored from {backup.Id}", new() { Timeout = 120_000 });
        Assert.Equal("before the backup\n", await File.ReadAllTextAsync(marker));

        await GoAsync(page, env, "admin/backups");
        await Assertions.Expect(page.Locator($"#backup-targets tr[data-target='{target}'] .url")).ToHaveTextAsync("local:" + repo);
        await Assertions.Expect(page.Locator($"#backup-failures tr[data-name='{name}']")).ToHaveCountAsync(0);

        // The repository moved away: the next backup fails, on the tab and under Admin, Backups.
        Directory.Move(repo, repo + ".away");
        try
        {
            await GoAsync(page, env, $"containers/{name}/backups");
            await page.SelectOptionAsync("#backup-target", target);
            await page.ClickAsync("button[data-action=backup-run]");
            await Assertions.Expect(page.Locator("#backup-error")).ToContainTextAsync("back up: ", new() { Timeout = 120_000 });
        }
        finally
        {
            Directory.Move(repo + ".away", repo);
        }

        await GoAsync(page, env, "admin/backups");
        var failure = page.Locator($"#backup-failures tr[data-name='{name}'] .failure");
        await Assertions.Expect(failure).ToContainTextAsync($"backup to {target} failed");
        var mark = (await env.Client.GetContainerAsync(name)).LastBackup;
        Assert.False(mark?.Ok);
        await Assertions.Expect(failure).ToContainTextAsync(mark!.Error!.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0]);
    }

    [Fact]
    public async Task Backups_RunningContainer_OffersRestoreAsOnly()
    {
        var name = env.Name("pbkr");
        await env.LaunchAsync(name);
        var page = await LogInWithTokenAsync(_browser, env);
        await GoAsync(page, env, $"containers/{name}/backups");
        await Assertions.Expect(page.Locator("#restore-hint")).ToContainTextAsync($"needs {name} stopped");
        await env.ChangeStateAsync(name, "stop", force: true);
        await Assertions.Expect(page.Locator("#restore-hint")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
    }
}
