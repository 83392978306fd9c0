using System.Diagnostics;
using Berth.Contracts;

namespace Berth.Bench;

/// <summary>
/// create + start + stop + delete of N busybox containers, one after another: through Berth (API, jobs, store) and
/// through LXC's own tools on the same lxcpath. Both stop by killing (lxc-stop -k / --force), as busybox init's
/// graceful halt takes a fixed two seconds that would hide the difference.
/// </summary>
public static class LifecycleBenchmark
{

    public static async Task RunAsync(BenchHost host, int count)
    {
        // The raw path gets what Berth gives its containers: no network device, root mapped to the same host range.
        var idmap = (await host.Client.GetServerInfoAsync()).IdMap.Split(", ");
        var config = Path.Combine(host.StateDir, "raw.conf");
        await File.WriteAllTextAsync(config, $"lxc.net.0.type = empty\nlxc.idmap = {idmap[0]}\nlxc.idmap = {idmap[1]}\n");

        // Warm up both paths once (first process starts, page cache).
        await BerthOnceAsync(host, "warm-berth");
        await RawOnceAsync(host, config, "warm-raw");

        var raw = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await RawOnceAsync(host, config, $"raw{i}");
        }

        raw.Stop();
        var berth = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await BerthOnceAsync(host, $"berth{i}");
        }

        berth.Stop();
        Console.WriteLine($"lifecycle: {count} x create+start+stop+delete (busybox)");
        Console.WriteLine($"  anchor raw lxc-* tools: {raw.Elapsed.TotalSeconds,8:F2} s ({raw.Elapsed.TotalMilliseconds / count:F0} ms each)");
        Console.WriteLine($"  berth (API + jobs):     {berth.Elapsed.TotalSeconds,8:F2} s ({berth.Elapsed.TotalMilliseconds / count:F0} ms each)");
        Console.WriteLine($"  ratio berth/raw:        {berth.Elapsed.TotalSeconds / raw.Elapsed.TotalSeconds,8:F2}x (goal <= 1.2x)");
    }

    private static async Task BerthOnceAsync(BenchHost host, string name)
    {
        await host.RunAsync(host.Client.LaunchAsync(new LaunchRequest { Name = name, Image = "busybox" }));
        await host.RunAsync(host.Client.ChangeStateAsync(name, new StateChangeRequest { Action = "stop", Force = true }));
        await host.RunAsync(host.Client.DeleteAsync(name));
    }

    private static async Task RawOnceAsync(BenchHost host, string config, string name)
    {
        await BenchHost.ToolAsync("lxc-create", "-t", "busybox", "-n", name, "-P", host.LxcPath, "-f", config);
        await BenchHost.ToolAsync("lxc-start", "-n", name, "-P", host.LxcPath);
        await BenchHost.ToolAsync("lxc-stop", "-k", "-n", name, "-P", host.LxcPath);
        await BenchHost.ToolAsync("lxc-destroy", "-n", name, "-P", host.LxcPath);
    }
}
