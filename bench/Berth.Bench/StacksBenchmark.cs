using System.Diagnostics;
using System.Formats.Tar;
using System.Text;
using Berth.Contracts;

namespace Berth.Bench;

/// <summary>
/// examples/microservices (a front and five services, healthchecks, depends_on healthy): a clean up with the base
/// built, an up with nothing to do, and the six containers up and healthy again from the cached base, against the
/// issue's goals (90 s, 0.5 s, 3 s).
/// </summary>
public static class StacksBenchmark
{
    public static async Task RunAsync(BenchHost host)
    {
        var folder = Path.Combine(BenchHost.FindRoot(), "examples/microservices");
        var yaml = await File.ReadAllTextAsync(Path.Combine(folder, "berth.yml"));
        var variables = new Dictionary<string, string> { ["STACK"] = "bstack", ["SUBNET"] = "10.199.77.0/24", ["BRIDGE"] = "bstack" + Path.GetFileName(host.StateDir)[^4..], ["FRONT_PORT"] = "18480" };
        host.Bridges.Add(variables["BRIDGE"]);
        var full = Pack(yaml, folder, variables);

        var clean = await UpAsync(host, full);
        var noop = new List<TimeSpan>();
        for (var i = 0; i < 10; i++)
        {
            var watch = Stopwatch.StartNew();
            var plan = await host.Client.UpStackAsync("bstack", full);
            noop.Add(watch.Elapsed);
            if (plan.Job is not null)
            {
                throw new InvalidOperationException("a second up found something to do");
            }
        }

        // Containers gone, base kept: then all six come back as copies of the cached base.
        var containersStart = yaml.IndexOf("containers:", StringComparison.Ordinal);
        await UpAsync(host, Pack(yaml[..containersStart] + "containers: {}\n", folder, variables));
        var cached = await UpAsync(host, full);
        await host.RunAsync(host.Client.DownStackAsync("bstack"));

        Console.WriteLine("stacks: examples/microservices, 6 containers up and healthy");
        Console.WriteLine($"  clean, base built:       {clean.TotalSeconds,8:F2} s (goal < 90 s)");
        Console.WriteLine($"  from the cached base:    {cached.TotalSeconds,8:F2} s (goal < 3 s; seed 001 by hand: 150 s)");
        Console.WriteLine($"  up with nothing to do:   {noop.Order().ElementAt(noop.Count / 2).TotalMilliseconds,8:F1} ms median of 10 (goal < 500 ms)");
    }

    private static async Task<TimeSpan> UpAsync(BenchHost host, byte[] tar)
    {
        var watch = Stopwatch.StartNew();
        var plan = await host.Client.UpStackAsync("bstack", tar);
        if (plan.Job is { } job)
        {
            await host.RunAsync(Task.FromResult(job));
        }

        return watch.Elapsed;
    }

    private static byte[] Pack(string yaml, string folder, IReadOnlyDictionary<string, string> variables)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "stack/berth.yml") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(yaml)) });
            foreach (var file in Directory.EnumerateFiles(Path.Combine(folder, "www"), "*", SearchOption.AllDirectories))
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "input/www/" + Path.GetRelativePath(Path.Combine(folder, "www"), file)) { DataStream = new MemoryStream(File.ReadAllBytes(file)), Mode = File.GetUnixFileMode(file) });
            }

            var json = "{" + string.Join(',', variables.Select(p => $"\"{p.Key}\":\"{p.Value}\"")) + "}";
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "variables.json") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(json)) });
        }

        return buffer.ToArray();
    }
}
