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

        var handPort = BenchHost.FreePort();
        var hand = await HandWrittenNginx.StartAsync(Path.Combine(host.StateDir, "hand-nginx"), handPort, address);
        try
        {
            Console.WriteLine("proxy: wrk -t2 -c32 -d5s through nginx to busybox httpd, interleaved, median of 3");
            var berthRuns = new List<Wrk.Result>();
            var handRuns = new List<Wrk.Result>();
            for (var round = 0; round < 3; round++)
            {
                berthRuns.Add(await Wrk.RunAsync(berth, domain, "5s"));
                handRuns.Add(await Wrk.RunAsync($"http://127.0.0.1:{handPort.ToString(CultureInfo.InvariantCulture)}/", domain, "5s"));
            }

            var (b, h) = (Median(berthRuns.Select(r => r.RequestsPerSecond)), Median(handRuns.Select(r => r.RequestsPerSecond)));
            var (bp, hp) = (Median(berthRuns.Select(r => r.P99Milliseconds)), Median(handRuns.Select(r => r.P99Milliseconds)));
            Console.WriteLine($"  hand-written nginx.conf: {h,10:F0} req/s, p99 {hp,7:F2} ms");
            Console.WriteLine($"  Berth route:             {b,10:F0} req/s, p99 {bp,7:F2} ms");
            Console.WriteLine($"  ratio Berth/hand:        {b / h,10:F2}x req/s (goal >= 0.95x), p99 {bp / hp:F2}x");
        }
        finally
        {
            await hand.DisposeAsync();
        }

        foreach (var keepalive in new[] { false, true })
        {
            var other = $"churn-{id}";
            var running = Wrk.Start(berth, domain, keepalive);
            await Task.Delay(500);
            var clock = Stopwatch.StartNew();
            var domains = Enumerable.Range(0, churn).Select(i => $"c{i.ToString(CultureInfo.InvariantCulture)}-{id}.test").ToList();
            foreach (var d in domains)
            {
                await host.RunAsync(host.Client.AddRouteAsync(new RouteRequest { Container = web, Domain = d }));
            }

            foreach (var d in domains)
            {
                await host.RunAsync(host.Client.RemoveRouteAsync(d));
            }

            clock.Stop();
            var result = await running.StopAsync();
            Console.WriteLine($"proxy: {churn} routes added and removed in {clock.Elapsed.TotalSeconds:F1} s while wrk ({(keepalive ? "keepalive" : "Connection: close")}) ran against another");
            Console.WriteLine($"  {result.Requests} requests, {result.Failed} failed ({result.Errors}) (goal 0)");
            _ = other;
        }

        var times = new List<double>();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        for (var i = 0; i < 10; i++)
        {
            var d = $"t{i.ToString(CultureInfo.InvariantCulture)}-{id}.test";
            var clock = Stopwatch.StartNew();
            var job = await host.Client.AddRouteAsync(new RouteRequest { Container = web, Domain = d });
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
            await host.Client.WaitForJobAsync(job);
            await host.RunAsync(host.Client.RemoveRouteAsync(d));
        }

        Console.WriteLine($"proxy: route add until it serves, median of 10: {Median(times),8:F0} ms (min {times.Min():F0}, max {times.Max():F0}; goal < 300 ms)");
        await host.RunAsync(host.Client.DeleteAsync(web, force: true));
        await host.RunAsync(host.Client.DeleteNetworkAsync(network));
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
