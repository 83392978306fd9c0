using System.Diagnostics;
using Berth.Contracts;

namespace Berth.Bench;

/// <summary>Listing N running containers with their state and addresses: GET /api/v1/containers against lxc-ls -f on the same lxcpath.</summary>
public static class ListingBenchmark
{
    public static async Task RunAsync(BenchHost host, int count)
    {
        Console.WriteLine($"listing: launching {count} busybox containers...");
        var names = Enumerable.Range(0, count).Select(i => $"list{i}").ToList();
        foreach (var batch in names.Chunk(10))
        {
            await Task.WhenAll(batch.Select(n => host.RunAsync(host.Client.LaunchAsync(new LaunchRequest { Name = n, Image = "busybox" }))));
        }

        var listed = await host.Client.ListContainersAsync();
        if (listed.Count(c => c.Status == ContainerStatus.Running) < count)
        {
            throw new InvalidOperationException("not every container is running");
        }

        var lxcLs = await TimeAsync(3, () => BenchHost.ToolAsync("lxc-ls", "-f", "-P", host.LxcPath));
        var berth = await TimeAsync(20, () => host.Client.ListContainersAsync());
        Console.WriteLine($"listing: {count} running containers (state and addresses)");
        Console.WriteLine($"  anchor lxc-ls -f:          {lxcLs.TotalMilliseconds,8:F1} ms");
        Console.WriteLine($"  berth GET /containers:     {berth.TotalMilliseconds,8:F1} ms");
        Console.WriteLine($"  speed-up lxc-ls/berth:     {lxcLs.TotalMilliseconds / berth.TotalMilliseconds,8:F1}x (goal >= 10x)");
    }

    /// <summary>The median of <paramref name="runs"/> timed runs after one untimed warm-up.</summary>
    private static async Task<TimeSpan> TimeAsync<T>(int runs, Func<Task<T>> action)
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
