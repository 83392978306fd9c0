using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Berth.Contracts;

namespace Berth.Bench;

/// <summary>
/// The proxy: (1) wrk through a Berth route against the same nginx binary with a hand-written configuration (keepalive
/// upstream) to the same container, interleaved (goal: at least 0.95x req/s, p99 alike); (2) <c>churn</c> routes added
/// and removed while wrk runs against another route (goal: 0 failed requests); (3) route add until it serves (goal under 300 ms).
/// </summary>
public static class ProxyBenchmark
{
    public static async Task RunAsync(BenchHost host, int churn)
    {
        if (!File.Exists("/usr/bin/wrk"))
        {
            Console.WriteLine("proxy: skipped (apt-get install wrk)");
            return;
        }

        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        var network = $"bp{id}";
        host.Bridges.Add(network);
        await host.RunAsync(host.Client.CreateNetworkAsync(new NetworkCreateRequest
        {
            Name = network,
            Subnet = $"10.{RandomNumberGenerator.GetInt32(200, 251).ToString(CultureInfo.InvariantCulture)}.{RandomNumberGenerator.GetInt32(0, 256).ToString(CultureInfo.InvariantCulture)}.0/24",
            Nat = true,
        }));
        var web = $"p{id}";
        await host.RunAsync(host.Client.LaunchAsync(new LaunchRequest { Name = web, Image = "busybox", Network = network }));
        await host.Client.ExecAsync(web, new ExecRequest { Command = ["sh", "-c", "mkdir -p /www && echo hello > /www/index.html && httpd -p 80 -h /www"] }, Stream.Null, Stream.Null, Stream.Null);
        var address = (await host.Client.GetContainerAsync(web)).Ipv4!;
        var domain = $"bench-{id}.test";
        await host.RunAsync(host.Client.AddRouteAsync(new RouteRequest { Container = web, Domain = domain }));
        var berth = $"http://127.0.0.1:{host.ProxyHttpPort.ToString(CultureInfo.InvariantCulture)}/";

        await CompareAsync(host, berth, domain, $"{address}:80", "busybox httpd (forks per request: the container is the bottleneck)", []);

        // The host's nginx in the container's network namespace answers at once with keepalive: the proxy is the bottleneck.
        var fast = $"fast-{id}.test";
        var initPid = (await host.Client.GetContainerAsync(web)).InitPid!.Value;
        await using (await HandWrittenNginx.StartBackendAsync(Path.Combine(host.StateDir, "backend-nginx"), initPid, 8080))
        {
            await host.RunAsync(host.Client.AddRouteAsync(new RouteRequest { Container = web, Domain = fast, Port = 8080 }));
            await CompareAsync(host, berth, fast, $"{address}:8080", "an nginx in the container answering at once (the proxy is the bottleneck)", HandWrittenNginx.Variants);
            await host.RunAsync(host.Client.RemoveRouteAsync(fast));
        }

        foreach (var (keepalive, together) in new[] { (false, false), (true, false), (true, true) })
        {
            var running = Wrk.Start(berth, domain, keepalive);
            await Task.Delay(500);
            var clock = Stopwatch.StartNew();
            var domains = Enumerable.Range(0, churn).Select(i => $"c{i.ToString(CultureInfo.InvariantCulture)}-{id}.test").ToList();
            if (together)
            {
                // As a script or a stack would: every change asked for at once, then waited for.
                foreach (var job in await Task.WhenAll(domains.Select(d => host.Client.AddRouteAsync(new RouteRequest { Container = web, Domain = d }))))
                {
                    await host.RunAsync(Task.FromResult(job));
                }

                foreach (var job in await Task.WhenAll(domains.Select(d => host.Client.RemoveRouteAsync(d))))
                {
                    await host.RunAsync(Task.FromResult(job));
                }
            }
            else
            {
                foreach (var d in domains)
                {
                    await host.RunAsync(host.Client.AddRouteAsync(new RouteRequest { Container = web, Domain = d }));
                }

                foreach (var d in domains)
                {
                    await host.RunAsync(host.Client.RemoveRouteAsync(d));
                }
            }

            clock.Stop();
            var result = await running.StopAsync();
            Console.WriteLine($"proxy: {churn} routes added and removed{(together ? ", all asked for at once," : " one after another")} in {clock.Elapsed.TotalSeconds:F1} s while wrk ({(keepalive ? "keepalive" : "Connection: close")}) ran against another");
            Console.WriteLine($"  {result.Requests} requests, {result.Failed} failed ({result.Errors}) (goal 0)");
        }

        var times = new List<double>();
        var jobTimes = new List<double>();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        for (var i = 0; i < 10; i++)
        {
            var d = $"t{i.ToString(CultureInfo.InvariantCulture)}-{id}.test";
            var clock = Stopwatch.StartNew();
            var job = await host.Client.AddRouteAsync(new RouteRequest { Container = web, Domain = d });
            var done = host.Client.WaitForJobAsync(job).ContinueWith(_ => clock.Elapsed.TotalMilliseconds, TaskScheduler.Default);
            while (true)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, berth);
                request.Headers.Host = d;
                request.Headers.ConnectionClose = true;
                using var response = await http.SendAsync(request);
                if (response.IsSuccessStatusCode)
                {
                    break;
                }
            }

            times.Add(clock.Elapsed.TotalMilliseconds);
            jobTimes.Add(await done);
            await host.RunAsync(Task.FromResult(job));
            await host.RunAsync(host.Client.RemoveRouteAsync(d));
        }

        Console.WriteLine($"proxy: route add until it serves, median of 10: {Median(times),8:F0} ms (min {times.Min():F0}, max {times.Max():F0}; goal < 300 ms)");
        Console.WriteLine($"proxy: route add until its job succeeded (every new connection served by it), median of 10: {Median(jobTimes),8:F0} ms (min {jobTimes.Min():F0}, max {jobTimes.Max():F0})");
        await host.RunAsync(host.Client.DeleteAsync(web, force: true));
        await host.RunAsync(host.Client.DeleteNetworkAsync(network));
    }

    /// <summary>
    /// wrk through the Berth route and through hand-written configurations to the same target, interleaved, median of 3:
    /// req/s and p99 of each, and each one's ratio against the plain hand-written one. Returns Berth's ratio.
    /// </summary>
    private static async Task<double> CompareAsync(BenchHost host, string berth, string domain, string target, string what, IReadOnlyList<(string Name, string Extra)> variants)
    {
        var configs = new List<(string Name, string Extra)> { ("hand-written nginx.conf", "") };
        configs.AddRange(variants);
        var hands = new List<(string Name, string Url, HandWrittenNginx Nginx)>();
        try
        {
            foreach (var (name, extra) in configs)
            {
                var port = BenchHost.FreePort();
                hands.Add((name, $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/", await HandWrittenNginx.StartAsync(Path.Combine(host.StateDir, $"hand-{domain}-{hands.Count.ToString(CultureInfo.InvariantCulture)}"), port, target, extra)));
            }

            Console.WriteLine($"proxy: wrk -t2 -c32 -d5s through nginx to {what}, interleaved, median of 3");
            var runs = new List<(string Name, List<Wrk.Result> Results)> { ("Berth route", []) };
            runs.AddRange(hands.Select(h => (h.Name, new List<Wrk.Result>())));
            for (var round = 0; round < 3; round++)
            {
                runs[0].Results.Add(await Wrk.RunAsync(berth, domain, "5s"));
                for (var i = 0; i < hands.Count; i++)
                {
                    runs[i + 1].Results.Add(await Wrk.RunAsync(hands[i].Url, domain, "5s"));
                }
            }

            var anchor = Median(runs[1].Results.Select(r => r.RequestsPerSecond));
            var anchorP99 = Median(runs[1].Results.Select(r => r.P99Milliseconds));
            foreach (var (name, results) in runs)
            {
                var rps = Median(results.Select(r => r.RequestsPerSecond));
                var p99 = Median(results.Select(r => r.P99Milliseconds));
                Console.WriteLine($"  {name,-36} {rps,8:F0} req/s ({rps / anchor:F2}x), p99 {p99,8:F2} ms ({p99 / anchorP99:F2}x)");
            }

            return Median(runs[0].Results.Select(r => r.RequestsPerSecond)) / anchor;
        }
        finally
        {
            foreach (var hand in hands)
            {
                await hand.Nginx.DisposeAsync();
            }
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
