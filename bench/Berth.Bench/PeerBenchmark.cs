using System.Diagnostics;
using System.Globalization;
using System.Net.NetworkInformation;
using System.Security.Cryptography;
using Berth.Contracts;

namespace Berth.Bench;

/// <summary>
/// Issue 16's table, Berth against its peer on the same host: LXD where its client <c>lxc</c> and a running LXD are
/// present (the same busybox root filesystem imported as an LXD image; a default profile with a dir pool and a bridge),
/// raw <c>lxc-*</c> on Berth's lxcpath otherwise. Per-command rows alternate the two round by round and print medians
/// and the ratio Berth/anchor. Installs nothing; removes every container, image and network it made.
/// </summary>
public static class PeerBenchmark
{
    public static async Task RunAsync(BenchHost host, int count)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        var network = $"bp{id}";
        var subnet = $"10.{RandomNumberGenerator.GetInt32(200, 251).ToString(CultureInfo.InvariantCulture)}.{(RandomNumberGenerator.GetInt32(0, 64) * 4).ToString(CultureInfo.InvariantCulture)}.0/22";
        host.Bridges.Add(network);
        await host.RunAsync(host.Client.CreateNetworkAsync(new NetworkCreateRequest { Name = network, Subnet = subnet, Nat = true }));
        var berth = new BerthPeer(host, network);
        await using var anchor = await LxdPeer.FindAsync(id) is { } lxd ? (PeerAnchor)lxd : new RawLxcPeer(host);
        Console.WriteLine($"peer: Berth ({berth.Cli}) against {anchor.Label}; medians, rounds alternated, ratio Berth/anchor (< 1: Berth faster)");
        try
        {
            await anchor.PrepareAsync(host);
            var idleBerth = Rss(host.DaemonPid);
            var idleAnchor = anchor.DaemonRss();

            // exec: one running container each.
            await berth.LaunchAsync($"bx{id}");
            await anchor.LaunchAsync($"ax{id}");
            await RowAsync("exec C -- true (CLI)", 20, () => berth.ExecTrueAsync($"bx{id}"), () => anchor.ExecTrueAsync($"ax{id}"));

            // One launch at a time until the CLI returns, each deleted outside the timing.
            var round = 0;
            await RowAsync("launch busybox, dir pool (CLI)", 10, async () =>
            {
                var name = $"bl{id}-{round.ToString(CultureInfo.InvariantCulture)}";
                var time = await berth.LaunchAsync(name);
                await berth.DeleteAsync([name]);
                return time;
            }, async () =>
            {
                var name = $"al{id}-{(round++).ToString(CultureInfo.InvariantCulture)}";
                var time = await anchor.LaunchAsync(name);
                await anchor.DeleteAsync([name]);
                return time;
            });

            // Listing with COUNT running each (batches of 10, untimed).
            var berthNames = Enumerable.Range(0, count).Select(i => $"bn{id}-{i.ToString(CultureInfo.InvariantCulture)}").ToList();
            var anchorNames = Enumerable.Range(0, count).Select(i => $"an{id}-{i.ToString(CultureInfo.InvariantCulture)}").ToList();
            Console.WriteLine($"peer: launching {count} + {count} running containers for the listings...");
            foreach (var batch in berthNames.Chunk(10))
            {
                await Task.WhenAll(batch.Select(berth.LaunchAsync));
            }

            foreach (var batch in anchorNames.Chunk(10))
            {
                await Task.WhenAll(batch.Select(anchor.LaunchAsync));
            }

            await RowAsync($"list, {count} running (CLI)", 20, berth.ListCliAsync, anchor.ListCliAsync);
            await RowAsync($"list API, {count} running", 20, berth.ListApiAsync, anchor.ListApiAsync);
            var fullBerth = Rss(host.DaemonPid);
            var fullAnchor = anchor.DaemonRss();
            await Task.WhenAll(berth.DeleteAsync(berthNames), anchor.DeleteAsync(anchorNames));

            // 20 launches side by side until each answers ping, then their stop + delete; three rounds alternated.
            if (!anchor.Networked)
            {
                Console.WriteLine("  (20 parallel launches until ping, stop + delete 20: no anchor without LXD)");
                return;
            }

            var batchRound = 0;
            var berthDeletes = new List<TimeSpan>();
            var anchorDeletes = new List<TimeSpan>();
            await RowAsync("20 parallel launches until all answer ping", 3, async () =>
            {
                var names = Enumerable.Range(0, 20).Select(i => $"bp{id}-{batchRound.ToString(CultureInfo.InvariantCulture)}-{i.ToString(CultureInfo.InvariantCulture)}").ToList();
                var clock = Stopwatch.StartNew();
                await Task.WhenAll(names.Select(berth.LaunchAsync));
                await Task.WhenAll((await berth.AddressesAsync(names)).Select(WaitForPingAsync));
                var time = clock.Elapsed;
                berthDeletes.Add(await berth.DeleteAsync(names));
                return time;
            }, async () =>
            {
                var names = Enumerable.Range(0, 20).Select(i => $"ap{id}-{batchRound.ToString(CultureInfo.InvariantCulture)}-{i.ToString(CultureInfo.InvariantCulture)}").ToList();
                batchRound++;
                var clock = Stopwatch.StartNew();
                await Task.WhenAll(names.Select(anchor.LaunchAsync));
                await Task.WhenAll(names.Select(async n => await WaitForPingAsync(await anchor.AddressAsync(n))));
                var time = clock.Elapsed;
                anchorDeletes.Add(await anchor.DeleteAsync(names));
                return time;
            });
            Row("stop + delete 20 (CLI, one command)", Median(berthDeletes), Median(anchorDeletes));

            var afterBerth = Rss(host.DaemonPid);
            var afterAnchor = anchor.DaemonRss();
            Console.WriteLine($"  {"daemon RSS idle / " + count.ToString(CultureInfo.InvariantCulture) + " running / after deleting",-44} Berth {idleBerth:F0} / {fullBerth:F0} / {afterBerth:F0} MB;  anchor {Mb(idleAnchor)} / {Mb(fullAnchor)} / {Mb(afterAnchor)} MB");
        }
        finally
        {
            await berth.DeleteEverythingAsync();
            await host.RunAsync(host.Client.DeleteNetworkAsync(network));
        }
    }

    /// <summary>Times <paramref name="rounds"/> rounds of each, alternating (after one untimed warm-up of each), and prints the medians and ratio.</summary>
    private static async Task RowAsync(string label, int rounds, Func<Task<TimeSpan>> berth, Func<Task<TimeSpan>> anchor)
    {
        await berth();
        await anchor();
        var b = new List<TimeSpan>();
        var a = new List<TimeSpan>();
        for (var i = 0; i < rounds; i++)
        {
            b.Add(await berth());
            a.Add(await anchor());
        }

        Row(label, Median(b), Median(a));
    }

    private static void Row(string label, TimeSpan berth, TimeSpan anchor) =>
        Console.WriteLine($"  {label,-44} Berth {Format(berth),10}   anchor {Format(anchor),10}   ratio {berth / anchor,6:F2}x");

    private static string Format(TimeSpan time) => time.TotalSeconds >= 2 ? $"{time.TotalSeconds:F2} s" : $"{time.TotalMilliseconds:F1} ms";

    private static TimeSpan Median(List<TimeSpan> times)
    {
        times.Sort();
        return times.Count % 2 == 1 ? times[times.Count / 2] : (times[(times.Count / 2) - 1] + times[times.Count / 2]) / 2;
    }

    private static string Mb(double? rss) => rss is { } value ? value.ToString("F0", CultureInfo.InvariantCulture) : "-";

    /// <summary>VmRSS of a process in MB.</summary>
    public static double Rss(int pid) =>
        double.Parse(File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;

    private static async Task WaitForPingAsync(string address)
    {
        using var ping = new Ping();
        for (var i = 0; i < 600; i++)
        {
            if ((await ping.SendPingAsync(address, 200)).Status == IPStatus.Success)
            {
                return;
            }
        }

        throw new InvalidOperationException($"{address} never answered ping");
    }

    /// <summary>Runs a program to its exit as a fresh process, as from a shell; its time, or an exception with its stderr.</summary>
    public static async Task<(TimeSpan Time, string Stdout)> RunAsync(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        await Task.WhenAll(stdout, stderr);
        watch.Stop();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', info.ArgumentList)} exited {process.ExitCode}: {(await stderr).Trim()}");
        }

        return (watch.Elapsed, await stdout);
    }
}
