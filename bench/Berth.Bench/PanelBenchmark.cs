using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Berth.Contracts;
using Microsoft.Playwright;

namespace Berth.Bench;

/// <summary>
/// The panel's container list with N containers on the host (running where the host allows): the list's answer
/// (GET /api/v1/containers over HTTP from loopback, the bytes in full) against lxc-ls -f on the same lxcpath, and
/// the list page in Debian's headless Chromium, from navigation until every row is shown and a click on one is
/// handled, against the same browser opening the raw API answer.
/// </summary>
public static class PanelBenchmark
{
    public static async Task RunAsync(BenchHost host, int count)
    {
        var restore = await HostLimits.RaiseAsync("panel");
        try
        {
            await MeasureAsync(host, count);
        }
        finally
        {
            await HostLimits.RestoreAsync(restore);
        }
    }

    private static async Task MeasureAsync(BenchHost host, int count)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        var network = $"bp{id}";
        var subnet = $"10.{RandomNumberGenerator.GetInt32(200, 251).ToString(CultureInfo.InvariantCulture)}.{(RandomNumberGenerator.GetInt32(0, 64) * 4).ToString(CultureInfo.InvariantCulture)}.0/22";
        host.Bridges.Add(network);
        await host.RunAsync(host.Client.CreateNetworkAsync(new NetworkCreateRequest { Name = network, Subnet = subnet, Nat = false }));

        Console.WriteLine($"panel: launching {count} busybox containers...");
        var names = Enumerable.Range(0, count).Select(i => $"p{id}-{i.ToString("D3", CultureInfo.InvariantCulture)}").ToList();
        var launch = Stopwatch.StartNew();
        var start = true;
        foreach (var batch in names.Chunk(10))
        {
            var jobs = await Task.WhenAll(batch.Select(async n => await host.Client.WaitForJobAsync(await host.Client.LaunchAsync(new LaunchRequest { Name = n, Image = "busybox", Network = network, Start = start }))));
            foreach (var failed in jobs.Where(j => j.Status != JobStatus.Succeeded))
            {
                // The host ran out of something: the rest are created stopped, and the failed ones again too.
                Console.WriteLine($"panel: {failed.Target} did not start ({failed.Error?.Split('\n')[0]}); the rest are created stopped");
                start = false;
                await host.RunAsync(host.Client.LaunchAsync(new LaunchRequest { Name = failed.Target!, Image = "busybox", Network = network, Start = false }));
            }
        }

        var listed = await host.Client.ListContainersAsync();
        var running = listed.Count(c => c.Status == ContainerStatus.Running);
        Console.WriteLine($"panel: {listed.Count} containers ({running} running) in {launch.Elapsed.TotalSeconds:F0} s");

        using var http = new HttpClient { BaseAddress = host.HttpAddress };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", host.AdminToken);
        var load = File.ReadAllText("/proc/loadavg").Split(' ')[..3];
        var lxcLs = await TimeAsync(5, () => BenchHost.ToolAsync("lxc-ls", "-f", "-F", "NAME,STATE,IPV4,IPV6", "-P", host.LxcPath));
        var bytes = 0;
        // Besides the time: the CPU the daemon and the containers' LXC monitors spend per list (load-independent).
        var monitors = MonitorPids(host.LxcPath);
        var (daemonBefore, monitorsBefore) = (CpuSeconds([host.DaemonPid]), CpuSeconds(monitors));
        var api = await TimeAsync(20, async () => bytes = (await http.GetByteArrayAsync(new Uri("api/v1/containers", UriKind.Relative))).Length);
        var daemonCpu = (CpuSeconds([host.DaemonPid]) - daemonBefore) / 21 * 1000;
        var monitorsCpu = (CpuSeconds(monitors) - monitorsBefore) / 21 * 1000;

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 800 } });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            // HTTP errors are counted below with their address (the raw answer's page asks for a favicon there is not).
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                errors.Add(message.Text);
            }
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 400 && !response.Url.EndsWith("/favicon.ico", StringComparison.Ordinal))
            {
                errors.Add($"{response.Status} {response.Url}");
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync(host.HttpAddress.ToString());
        await page.ClickAsync("#token-login summary");
        await page.FillAsync("#token", host.AdminToken);
        await page.ClickAsync("#token-form button[type=submit]");
        await page.Locator("#me").WaitForAsync();
        // The visit before the login asked for a session there was not (401), as it should.
        errors.Clear();

        // The anchor: the same browser, the same session, showing the raw answer of the same call.
        var raw = await MedianAsync(5, async () =>
        {
            await page.GotoAsync("about:blank");
            var watch = Stopwatch.StartNew();
            await page.GotoAsync(new Uri(host.HttpAddress, "api/v1/containers").ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.Load });
            await page.Locator($"text={names[^1]}").First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
            return watch.Elapsed;
        });

        // The list shows its first page (of 100) at once; the click opens a container from the middle of it.
        var firstPage = Math.Min(100, listed.Count);
        var target = names[firstPage / 2];
        var rows = new List<TimeSpan>();
        var interactive = await MedianAsync(5, async () =>
        {
            // From a blank page each time: a whole load (the panel's files from the cache, as a returning user has them).
            await page.GotoAsync("about:blank");
            var watch = Stopwatch.StartNew();
            await page.GotoAsync(new Uri(host.HttpAddress, "#/").ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
            await page.Locator($"#containers tbody tr:nth-child({firstPage})").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 60_000 });
            rows.Add(watch.Elapsed);
            await page.ClickAsync($"#containers tr[data-name='{target}'] th a");
            await page.Locator($"main h1:has-text('{target}')").WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
            return watch.Elapsed;
        });
        await page.GotoAsync("about:blank");
        await page.GotoAsync(new Uri(host.HttpAddress, "#/").ToString());
        await page.Locator($"#containers tbody tr:nth-child({firstPage})").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 60_000 });
        var shown = await page.Locator("#containers tbody tr").CountAsync();
        var pager = (await page.Locator("#list-range").TextContentAsync() ?? "").Trim();
        if (shown != firstPage || !pager.EndsWith($"of {listed.Count}", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"the list page shows {shown} rows ({pager}) of {listed.Count}");
        }

        Console.WriteLine($"panel: {listed.Count} containers ({running} running), load average {string.Join(' ', load)}");
        Console.WriteLine($"  anchor lxc-ls -f (name, state, addresses):   {lxcLs.TotalMilliseconds,8:F1} ms");
        Console.WriteLine($"  GET /api/v1/containers (loopback, in full):  {api.TotalMilliseconds,8:F1} ms (goal < 50 ms), {bytes} bytes");
        Console.WriteLine($"  CPU per list: berthd, the LXC monitors:      {daemonCpu,8:F1} ms, {monitorsCpu:F1} ms");
        Console.WriteLine($"  ratio lxc-ls/API:                            {lxcLs.TotalMilliseconds / api.TotalMilliseconds,8:F1}x");
        Console.WriteLine($"  anchor Chromium showing the raw answer:      {raw.TotalMilliseconds,8:F1} ms");
        Console.WriteLine($"  panel list page, its first {shown} rows shown: {Median([.. rows.Skip(1)]).TotalMilliseconds,8:F1} ms ({pager})");
        Console.WriteLine($"  panel list page to interactive (a click):    {interactive.TotalMilliseconds,8:F1} ms (goal < 1000 ms)");
        Console.WriteLine($"  ratio panel/raw answer:                      {interactive.TotalMilliseconds / raw.TotalMilliseconds,8:F1}x");
        Console.WriteLine($"  console errors on the page:                  {errors.Count}{(errors.Count > 0 ? ": " + errors[0] : "")}");
    }

    /// <summary>The LXC monitors (one per running container) of containers under <paramref name="lxcPath"/>.</summary>
    private static List<int> MonitorPids(string lxcPath)
    {
        var pids = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                if (int.TryParse(Path.GetFileName(dir), CultureInfo.InvariantCulture, out var pid) && File.ReadAllText(Path.Combine(dir, "cmdline")) is var cmdline
                    && cmdline.StartsWith("[lxc monitor]", StringComparison.Ordinal) && cmdline.Contains(lxcPath, StringComparison.Ordinal))
                {
                    pids.Add(pid);
                }
            }
            catch (IOException)
            {
            }
        }

        return pids;
    }

    /// <summary>User and system CPU seconds the processes have used (utime and stime of /proc/PID/stat, at 100 ticks a second).</summary>
    private static double CpuSeconds(IEnumerable<int> pids)
    {
        var ticks = 0L;
        foreach (var pid in pids)
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
            }
        }

        return ticks / 100.0;
    }

    /// <summary>The median of <paramref name="runs"/> runs that time themselves, after one warm-up.</summary>
    private static async Task<TimeSpan> MedianAsync(int runs, Func<Task<TimeSpan>> action)
    {
        await action();
        var times = new List<TimeSpan>();
        for (var i = 0; i < runs; i++)
        {
            times.Add(await action());
        }

        return Median(times);
    }

    private static TimeSpan Median(List<TimeSpan> times)
    {
        var sorted = times.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    /// <summary>The median of <paramref name="runs"/> timed runs after one untimed warm-up.</summary>
    private static async Task<TimeSpan> TimeAsync(int runs, Func<Task> action)
    {
        await action();
        var times = new List<TimeSpan>();
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            await action();
            times.Add(watch.Elapsed);
        }

        times.Sort();
        return times[times.Count / 2];
    }
}
