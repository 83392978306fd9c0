using System.Globalization;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Berth.IntegrationTests.Panel.PanelPages;

namespace Berth.IntegrationTests.Panel;

/// <summary>A panel on a daemon that records a metrics point every second, so a container's history fills while the test waits.</summary>
public sealed class HistoryPanelEnvironment : HttpBerthEnvironment
{
    protected override string[] DaemonArguments => [.. base.DaemonArguments, "--metrics-interval", "1s"];
}

/// <summary>The container page draws its history from GET /api/v1/containers/NAME/metrics, for the period chosen.</summary>
public sealed class PanelHistoryTests(HistoryPanelEnvironment env) : IClassFixture<HistoryPanelEnvironment>, IAsyncLifetime
{
    private PanelBrowser _browser = null!;

    public async Task InitializeAsync() => _browser = await PanelBrowser.LaunchAsync();

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _browser.AssertClean();
    }

    [Fact]
    public async Task ContainerPage_DrawsItsHistory_FromTheApi_ForTheChosenPeriod()
    {
        var name = env.Name("hist");
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = name, Image = "busybox" }));
        MetricsHistoryInfo history;
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while ((history = await env.Client.GetContainerMetricsAsync(name, "1h")).Points.Count(p => p.MemoryBytes is not null) < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
        }

        Assert.True(history.Points.Count(p => p.MemoryBytes is not null) >= 3, "the daemon recorded fewer than 3 points in two minutes");

        var page = await LogInWithTokenAsync(_browser, env);
        await GoAsync(page, env, $"containers/{name}");
        var memory = page.Locator("#history-memory svg");
        await Assertions.Expect(memory).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        var label = await memory.GetAttributeAsync("aria-label") ?? "";
        Assert.StartsWith("Memory over the last hour: ", label, StringComparison.Ordinal);
        var drawn = int.Parse(label.Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        Assert.True(drawn >= 3, label);
        // The polyline has a vertex per point the label counts.
        var vertices = (await page.Locator("#history-memory polyline").GetAttributeAsync("points") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        Assert.Equal(drawn, vertices);
        await Assertions.Expect(page.Locator("#history-cpu svg")).ToHaveCountAsync(1);

        // Thirty days are hourly means: the first hour has none closed yet, so the page says so instead of drawing.
        await page.ClickAsync("#history button[data-period='30d']");
        await Assertions.Expect(page.Locator("#history button[data-period='30d']")).ToHaveAttributeAsync("aria-pressed", "true");
        var hourly = await env.Client.GetContainerMetricsAsync(name, "30d", "1h");
        if (hourly.Points.Count(p => p.MemoryBytes is not null) < 2)
        {
            await Assertions.Expect(page.Locator("#history-memory svg")).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator("#history-memory .peak")).ToContainTextAsync(hourly.Points.Count == 0 ? "no points yet" : "peak");
        }
        else
        {
            await Assertions.Expect(page.Locator("#history-memory svg")).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex("^Memory over the last 30 days: "));
        }
    }
}
