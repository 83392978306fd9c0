using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Berth.Contracts;

namespace Berth.Bench;

/// <summary>
/// Networking: (1) N parallel launches on one network, timed until every container answers ping on its static
/// address (anchor: LXD users saw 40-50 s with 20 DHCP launches; goal under 5 s for 50); (2) wrk against a
/// container's busybox httpd through a port forward vs straight to its address (goal: at least 0.9x).
/// </summary>
public static class NetworkBenchmark
{
    public static async Task RunAsync(BenchHost host, int count)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        var network = $"bn{id}";
        var subnet = $"10.{RandomNumberGenerator.GetInt32(200, 251).ToString(CultureInfo.InvariantCulture)}.{RandomNumberGenerator.GetInt32(0, 256).ToString(CultureInfo.InvariantCulture)}.0/24";
        host.Bridges.Add(network);
        await host.RunAsync(host.Client.CreateNetworkAsync(new NetworkCreateRequest { Name = network, Subnet = subnet, Nat = true }));

        var names = Enumerable.Range(0, count).Select(i => $"n{id}-{i.ToString(CultureInfo.InvariantCulture)}").ToList();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(names.Select(n => host.RunAsync(host.Client.LaunchAsync(new LaunchRequest { Name = n, Image = "busybox", Network = network }))));
        var launched = clock.Elapsed;
        var addresses = (await host.Client.ListContainersAsync()).Where(c => names.Contains(c.Name)).Select(c => c.Ipv4!).ToList();
        await Task.WhenAll(addresses.Select(WaitForPingAsync));
        clock.Stop();
        Console.WriteLine($"network: {count} parallel launches on one network until every container answers ping");
        Console.WriteLine($"  all launched:          {launched.TotalSeconds,8:F2} s");
        Console.WriteLine($"  all answering ping:    {clock.Elapsed.TotalSeconds,8:F2} s (goal < 5 s for 50; LXD with DHCP: 40-50 s for 20)");

        await ThroughputAsync(host, names[0], addresses[0]);
        await Task.WhenAll(names.Select(n => host.RunAsync(host.Client.DeleteAsync(n, force: true))));
        await host.RunAsync(host.Client.DeleteNetworkAsync(network));
    }

    private static async Task ThroughputAsync(BenchHost host, string name, string address)
    {
        if (!File.Exists("/usr/bin/wrk"))
        {
            Console.WriteLine("  throughput: skipped (apt-get install wrk)");
            return;
        }

        var port = RandomNumberGenerator.GetInt32(30000, 39000);
        using (var stdout = new MemoryStream())
        {
            await host.Client.ExecAsync(name, new ExecRequest { Command = ["sh", "-c", "mkdir -p /www && echo hello > /www/index.html && httpd -p 80 -h /www"] }, Stream.Null, stdout, Stream.Null);
        }

        await host.RunAsync(host.Client.AddForwardAsync(name, new ForwardRequest { Ports = $"{port.ToString(CultureInfo.InvariantCulture)}:80/tcp" }));

        // The host's own address on the way out (not loopback, which output DNAT does not route), as a client elsewhere would use.
        var hostAddress = (await BenchHost.ToolAsync("ip", "-o", "-4", "route", "get", "1.1.1.1")).Split(" src ")[1].Split(' ')[0];
        var direct = await WrkAsync($"http://{address}/");
        var forwarded = await WrkAsync($"http://{hostAddress}:{port.ToString(CultureInfo.InvariantCulture)}/");
        Console.WriteLine("  throughput (wrk -t2 -c32 -d5s, busybox httpd):");
        Console.WriteLine($"    straight to {address}: {direct,10:F0} req/s");
        Console.WriteLine($"    through the forward:   {forwarded,10:F0} req/s");
        Console.WriteLine($"    ratio forward/direct:  {forwarded / direct,10:F2}x (goal >= 0.9x)");
    }

    private static async Task<double> WrkAsync(string url)
    {
        var output = await BenchHost.ToolAsync("wrk", "-t2", "-c32", "-d5s", url);
        var line = output.Split('\n').First(l => l.StartsWith("Requests/sec:", StringComparison.Ordinal));
        return double.Parse(line["Requests/sec:".Length..].Trim(), CultureInfo.InvariantCulture);
    }

    private static async Task WaitForPingAsync(string address)
    {
        while (true)
        {
            var info = new ProcessStartInfo("busybox") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { "ping", "-c1", "-W1", address })
            {
                info.ArgumentList.Add(arg);
            }

            using var ping = Process.Start(info)!;
            await ping.WaitForExitAsync();
            if (ping.ExitCode == 0)
            {
                return;
            }
        }
    }
}
