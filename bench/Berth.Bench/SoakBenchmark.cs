using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Berth.Contracts;

namespace Berth.Bench;

/// <summary>
/// N launch+delete cycles of busybox on the run's own network, sampling berthd's resident memory (VmRSS) and open
/// descriptors every 100 cycles: a leak shows as growth that keeps rising after warm-up (cycle 200) instead of levelling off.
/// </summary>
public static class SoakBenchmark
{
    private const int SampleEvery = 100;

    public static async Task RunAsync(BenchHost host, int count)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        var network = $"bs{id}";
        var subnet = $"10.{RandomNumberGenerator.GetInt32(200, 251).ToString(CultureInfo.InvariantCulture)}.{RandomNumberGenerator.GetInt32(0, 256).ToString(CultureInfo.InvariantCulture)}.0/24";
        host.Bridges.Add(network);
        await host.RunAsync(host.Client.CreateNetworkAsync(new NetworkCreateRequest { Name = network, Subnet = subnet, Nat = true }));

        Console.WriteLine($"soak: {count} x launch+delete (busybox, network {network}), berthd pid {host.DaemonPid}");
        Console.WriteLine("   cycle   rss MB   fds   s/100");
        var samples = new List<(int Cycle, double RssMb, int Fds)> { Sample(host, 0) };
        Print(samples[^1], TimeSpan.Zero);
        var clock = Stopwatch.StartNew();
        for (var i = 1; i <= count; i++)
        {
            // A new name each cycle, as users make them: anything kept per name would show as growth.
            var name = $"soak{id}-{i.ToString(CultureInfo.InvariantCulture)}";
            await host.RunAsync(host.Client.LaunchAsync(new LaunchRequest { Name = name, Image = "busybox", Network = network }));
            await host.RunAsync(host.Client.DeleteAsync(name, force: true));
            if (i % SampleEvery == 0 || i == count)
            {
                samples.Add(Sample(host, i));
                Print(samples[^1], clock.Elapsed);
                clock.Restart();
            }
        }

        var from = samples.LastOrDefault(s => s.Cycle <= 200);
        var last = samples[^1];
        Console.WriteLine($"  growth cycle {from.Cycle} -> {last.Cycle}: {last.RssMb - from.RssMb:+0.0;-0.0} MB RSS ({(last.RssMb - from.RssMb) * 1024 / Math.Max(1, last.Cycle - from.Cycle):F1} KB/cycle), {last.Fds - from.Fds:+0;-0} fds");
        await host.RunAsync(host.Client.DeleteNetworkAsync(network));
    }

    private static (int Cycle, double RssMb, int Fds) Sample(BenchHost host, int cycle)
    {
        var rssKb = File.ReadLines($"/proc/{host.DaemonPid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var fds = Directory.GetFileSystemEntries($"/proc/{host.DaemonPid}/fd").Length;
        return (cycle, double.Parse(rssKb, CultureInfo.InvariantCulture) / 1024, fds);
    }

    private static void Print((int Cycle, double RssMb, int Fds) sample, TimeSpan elapsed) =>
        Console.WriteLine($"  {sample.Cycle,6} {sample.RssMb,8:F1} {sample.Fds,5} {elapsed.TotalSeconds,7:F1}");
}
