using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Berth.Contracts;

namespace Berth.Bench;

/// <summary>
/// GET /metrics with N running containers: the scrape (median of 20, admin token over HTTP) and a fresh read of
/// every container (GET /api/v1/usage) against the anchor, the same cgroup files read directly by this process for
/// every container; then the daemon's RSS before the containers, with them, and after minutes of 1 s history.
/// The daemon runs with --metrics-interval 1s (see Program.cs).
/// </summary>
public static class MetricsBenchmark
{
    public static async Task RunAsync(BenchHost host, int count, TimeSpan history, CancellationToken cancellationToken)
    {
        var restore = await HostLimits.RaiseAsync("metrics");
        try
        {
            await MeasureAsync(host, count, history, cancellationToken);
        }
        finally
        {
            await HostLimits.RestoreAsync(restore);
        }
    }

    private static async Task MeasureAsync(BenchHost host, int count, TimeSpan history, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = host.HttpAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", host.AdminToken);
        await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
        var rssBefore = Rss(host);

        // A network of its own, large enough for 1000 containers.
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        var network = $"bm{id}";
        var subnet = $"10.{RandomNumberGenerator.GetInt32(200, 251).ToString(CultureInfo.InvariantCulture)}.{(RandomNumberGenerator.GetInt32(0, 64) * 4).ToString(CultureInfo.InvariantCulture)}.0/22";
        host.Bridges.Add(network);
        await host.RunAsync(host.Client.CreateNetworkAsync(new NetworkCreateRequest { Name = network, Subnet = subnet, Nat = false }));

        Console.WriteLine($"metrics: launching {count} busybox containers...");
        var names = Enumerable.Range(0, count).Select(i => $"m{id}-{i.ToString(CultureInfo.InvariantCulture)}").ToList();
        var launch = Stopwatch.StartNew();
        foreach (var batch in names.Chunk(10))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.WhenAll(batch.Select(n => host.RunAsync(host.Client.LaunchAsync(new LaunchRequest { Name = n, Image = "busybox", Network = network }))));
        }

        Console.WriteLine($"metrics: {count} launched in {launch.Elapsed.TotalSeconds:F0} s");
        if ((await host.Client.ListContainersAsync()).Count(c => c.Status == ContainerStatus.Running) < count)
        {
            throw new InvalidOperationException("not every container is running");
        }

        var pids = new List<int>();
        foreach (var batch in names.Chunk(20))
        {
            pids.AddRange(await Task.WhenAll(batch.Select(async n => int.Parse((await BenchHost.ToolAsync("lxc-info", "-P", host.LxcPath, "-n", n, "-p", "-H")).Trim(), CultureInfo.InvariantCulture))));
        }

        var load = File.ReadAllText("/proc/loadavg").Split(' ')[..3];
        var anchorBytes = 0L;
        var anchor = await TimeAsync(20, () =>
        {
            anchorBytes = ReadDirectly(pids);
            return Task.CompletedTask;
        }, cancellationToken);
        var body = "";
        var scrape = await TimeAsync(20, async () => body = await http.GetStringAsync(new Uri("metrics", UriKind.Relative), cancellationToken), cancellationToken);
        var series = body.Split('\n').Count(l => l.Length > 0 && l[0] != '#');
        if (!body.Contains($"container=\"{names[^1]}\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("/metrics does not show the containers");
        }

        var usageBytes = 0;
        var fresh = await TimeAsync(20, async () => usageBytes = (await http.GetStringAsync(new Uri("api/v1/usage", UriKind.Relative), cancellationToken)).Length, cancellationToken);
        // For scale: liblxc's state and init pid of every container (what the listing asks too).
        var listing = await TimeAsync(20, () => host.Client.ListContainersAsync(), cancellationToken);
        var rssWith = Rss(host);

        Console.WriteLine($"metrics: {count} running containers, load average {string.Join(' ', load)}");
        Console.WriteLine($"  anchor: the cgroup files read here: {anchor.TotalMilliseconds,8:F1} ms ({anchorBytes} bytes)");
        Console.WriteLine($"  GET /metrics (scrape):              {scrape.TotalMilliseconds,8:F1} ms (goal < 100 ms), {body.Length} bytes, {series} samples");
        Console.WriteLine($"  GET /api/v1/usage (fresh read):     {fresh.TotalMilliseconds,8:F1} ms, {usageBytes} bytes");
        Console.WriteLine($"  GET /api/v1/containers (for scale):  {listing.TotalMilliseconds,8:F1} ms");
        Console.WriteLine($"  ratio fresh read/anchor:            {fresh.TotalMilliseconds / anchor.TotalMilliseconds,8:F1}x");
        Console.WriteLine($"metrics: taking {history.TotalMinutes:F0} minutes of 1 s history...");
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < history)
        {
            await Task.Delay(TimeSpan.FromSeconds(60), cancellationToken);
            Console.WriteLine($"  after {watch.Elapsed.TotalMinutes,4:F1} min: RSS {Rss(host) / 1048576.0,7:F1} MB");
        }

        var rssAfter = Rss(host);
        var hostHistory = await http.GetStringAsync(new Uri("api/v1/host/metrics?since=1h", UriKind.Relative), cancellationToken);
        Console.WriteLine($"  daemon RSS before the containers:   {rssBefore / 1048576.0,8:F1} MB");
        Console.WriteLine($"  with {count} running:               {rssWith / 1048576.0,8:F1} MB");
        Console.WriteLine($"  after {history.TotalMinutes:F0} min of history:        {rssAfter / 1048576.0,8:F1} MB (growth from the history {(rssAfter - rssWith) / 1048576.0:F1} MB, goal < 50 MB)");
        Console.WriteLine($"  host history points (1 h):          {hostHistory.Split("\"at\"").Length - 1,8}");
    }

    /// <summary>What a scrape must at least read: each container's /proc/PID/cgroup and the cgroup files /metrics reports (v1 or v2, as the host has).</summary>
    private static long ReadDirectly(List<int> pids)
    {
        var v2 = !Directory.Exists("/sys/fs/cgroup/memory");
        (string Controller, string File)[] files = v2
            ? [("", "cpu.stat"), ("", "memory.current"), ("", "memory.swap.current"), ("", "memory.max"), ("", "cpuset.cpus.effective"), ("", "cpu.max"), ("", "pids.current"), ("", "pids.max")]
            : [("cpuacct", "cpuacct.usage"), ("memory", "memory.usage_in_bytes"), ("memory", "memory.memsw.usage_in_bytes"), ("memory", "memory.limit_in_bytes"), ("cpuset", "cpuset.cpus"), ("cpu", "cpu.cfs_quota_us"), ("cpu", "cpu.cfs_period_us"), ("pids", "pids.current"), ("pids", "pids.max")];
        var bytes = 0L;
        foreach (var pid in pids)
        {
            var dirs = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var parts in File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cgroup").Select(l => l.Split(':', 3)))
            {
                var path = parts[2];
                var payload = path.IndexOf("/lxc.payload.", StringComparison.Ordinal);
                if (payload >= 0 && path.IndexOf('/', payload + 1) is var end and > 0)
                {
                    path = path[..end];
                }

                if (v2 && parts[0] == "0")
                {
                    dirs[""] = "/sys/fs/cgroup" + path;
                }
                else if (!v2)
                {
                    foreach (var controller in parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries))
                    {
                        dirs[controller] = $"/sys/fs/cgroup/{controller}{path}";
                    }
                }
            }

            foreach (var (controller, file) in files)
            {
                try
                {
                    bytes += File.ReadAllText(Path.Combine(dirs[controller], file)).Length;
                }
                catch (IOException)
                {
                    // Swap accounting off: the file is not there.
                }
            }
        }

        return bytes;
    }

    private static long Rss(BenchHost host)
    {
        var line = File.ReadLines($"/proc/{host.DaemonPid.ToString(CultureInfo.InvariantCulture)}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>The median of <paramref name="runs"/> timed runs after one untimed warm-up.</summary>
    private static async Task<TimeSpan> TimeAsync(int runs, Func<Task> action, CancellationToken cancellationToken)
    {
        await action();
        var times = new List<TimeSpan>();
        for (var i = 0; i < runs; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var watch = Stopwatch.StartNew();
            await action();
            times.Add(watch.Elapsed);
        }

        times.Sort();
        return times[times.Count / 2];
    }
}
