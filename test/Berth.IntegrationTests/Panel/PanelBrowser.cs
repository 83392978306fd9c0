using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Berth.IntegrationTests.Panel;

/// <summary>
/// Debian's headless Chromium for the panel tests. Every page it opens records console errors, uncaught exceptions
/// and Content-Security-Policy violations; <see cref="AssertClean"/> fails the test when there was any.
/// </summary>
public sealed partial class PanelBrowser : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly ConcurrentQueue<string> _errors = new();

    private PanelBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<PanelBrowser> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        return new PanelBrowser(playwright, browser);
    }

    /// <summary>A page in a context of its own (its own cookies and session storage), watched for errors.</summary>
    public async Task<IPage> NewPageAsync(int width = 1200, int height = 800, bool watch = true)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Permissions = ["clipboard-read", "clipboard-write"],
        });
        var page = await context.NewPageAsync();
        if (watch)
        {
            Watch(page);
        }

        return page;
    }

    /// <summary>Records what goes wrong on <paramref name="page"/>; a CSP violation is logged as a console error too.</summary>
    public void Watch(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !ExpectedRefusal().IsMatch(message.Text))
            {
                _errors.Enqueue($"console error on {page.Url}: {message.Text}");
            }
        };
        page.PageError += (_, error) => _errors.Enqueue($"uncaught on {page.Url}: {error}");
        page.Context.AddInitScriptAsync("""
            document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`));
            """).GetAwaiter().GetResult();
    }

    public void AssertClean() => Assert.True(_errors.IsEmpty, string.Join("\n", _errors));

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }

    /// <summary>
    /// The browser logs every HTTP error answer as a console error; the API's refusals (401 before login, 404 for
    /// another member's container, 409 for a taken name) are expected and shown on the page, so only they pass.
    /// </summary>
    [GeneratedRegex(@"^Failed to load resource: the server responded with a status of (400|401|403|404|409) ")]
    private static partial Regex ExpectedRefusal();
}
