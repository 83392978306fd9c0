using Berth.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Berth.IntegrationTests.Panel;

/// <summary>Steps the panel tests share: logging in and answering the confirmation dialog.</summary>
public static class PanelPages
{
    public static async Task<IPage> LogInWithTokenAsync(PanelBrowser browser, HttpBerthEnvironment env, int width = 1200)
    {
        ArgumentNullException.ThrowIfNull(browser);
        ArgumentNullException.ThrowIfNull(env);
        var page = await browser.NewPageAsync(width);
        await page.GotoAsync(env.BaseAddress.ToString());
        await page.ClickAsync("#token-login summary");
        await page.FillAsync("#token", env.AdminToken);
        await page.ClickAsync("#token-form button[type=submit]");
        await Assertions.Expect(page.Locator("#me")).ToHaveTextAsync("root (admin)");
        return page;
    }

    public static async Task<IPage> LogInAsync(PanelBrowser browser, HttpBerthEnvironment env, string user, string password, int width = 1200)
    {
        ArgumentNullException.ThrowIfNull(browser);
        ArgumentNullException.ThrowIfNull(env);
        var page = await browser.NewPageAsync(width);
        await page.GotoAsync(env.BaseAddress.ToString());
        await page.FillAsync("#user", user);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#login-form button[type=submit]");
        await Assertions.Expect(page.Locator("#me")).ToContainTextAsync(user);
        return page;
    }

    /// <summary>Opens a page of the panel by its hash route, e.g. "containers/web1/console".</summary>
    public static Task GoAsync(IPage page, HttpBerthEnvironment env, string route)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(env);
        return page.GotoAsync($"{env.BaseAddress}#/{route}");
    }

    /// <summary>Answers the confirmation dialog, checking that it names what is about to change; <paramref name="typeName"/> is typed first when the dialog asks for it.</summary>
    public static async Task AnswerConfirmAsync(IPage page, string names, bool confirm, string? typeName = null)
    {
        ArgumentNullException.ThrowIfNull(page);
        await Assertions.Expect(page.Locator("#confirm")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#confirm-message")).ToContainTextAsync(names);
        if (typeName is not null && confirm)
        {
            await Assertions.Expect(page.Locator("#confirm-ok")).ToBeDisabledAsync();
            await page.FillAsync("#confirm-name", typeName);
        }

        await page.ClickAsync(confirm ? "#confirm-ok" : "#confirm-cancel");
        await Assertions.Expect(page.Locator("#confirm")).ToHaveCountAsync(0);
    }
}
