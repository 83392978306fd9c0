using System.Diagnostics;
using Berth.Contracts;

namespace Berth.Bench;

/// <summary>
/// Everyday commands end to end, each a fresh process as from a shell: <c>berth --version</c>, <c>berth list</c> with
/// N running containers, <c>berth exec C -- true</c>. Anchors from the same run: lxc-ls and lxc-attach on the same
/// lxcpath, and LXD's <c>lxc</c> where it is installed. Both CLI builds are timed: the AOT binary and the JIT dll.
/// </summary>
public static class CliBenchmark
{
    public static async Task RunAsync(BenchHost host, int count)
    {
        var root = BenchHost.FindRoot();
        var aot = Path.Combine(root, "src/Berth.Cli/bin/Release/net10.0/linux-x64/publish/berth");
        var jit = Path.Combine(root, "src/Berth.Cli/bin/Release/net10.0/berth.dll");
        var clis = new List<(string Label, string Program, string[] Prefix)>();
        if (File.Exists(aot))
        {
            clis.Add(("berth (AOT)", aot, []));
        }

        clis.Add(("berth (JIT)", "dotnet", [jit]));

        Console.WriteLine($"cli: launching {count} busybox containers...");
        var names = Enumerable.Range(0, count).Select(i => $"cli{i}").ToList();
        foreach (var batch in names.Chunk(10))
        {
            await Task.WhenAll(batch.Select(n => host.RunAsync(host.Client.LaunchAsync(new LaunchRequest { Name = n, Image = "busybox" }))));
        }

        var target = names[0];
        Console.WriteLine($"cli: each a new process, median of 20 after a warm-up; {count} running containers");
        Row("anchor lxc-ls -P LXCPATH", await TimeAsync(host, "lxc-ls", "-P", host.LxcPath));
        Row("anchor lxc-attach -- true", await TimeAsync(host, "lxc-attach", "-n", target, "-P", host.LxcPath, "--", "true"));
        if (OnPath("lxc") && OnPath("lxd"))
        {
            Row("anchor LXD lxc list", await TimeAsync(host, "lxc", "list", "--format", "csv"));
        }
        else
        {
            Console.WriteLine("  (LXD not installed: no LXD anchor)");
        }

        foreach (var (label, program, prefix) in clis)
        {
            Row($"{label} --version", await TimeAsync(host, program, [.. prefix, "--version"]));
            Row($"{label} list", await TimeAsync(host, program, [.. prefix, "list"]));
            Row($"{label} exec -- true", await TimeAsync(host, program, [.. prefix, "exec", target, "--", "true"]));
        }
    }

    private static void Row(string label, TimeSpan time) => Console.WriteLine($"  {label,-28} {time.TotalMilliseconds,8:F1} ms");

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, program)));

    /// <summary>The median of 20 runs of a program to its exit, after one untimed warm-up.</summary>
    private static async Task<TimeSpan> TimeAsync(BenchHost host, string program, params string[] args)
    {
        var times = new List<TimeSpan>();
        for (var i = 0; i <= 20; i++)
        {
            var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
            foreach (var arg in args)
            {
                info.ArgumentList.Add(arg);
            }

            info.Environment["BERTH_DIR"] = host.StateDir;
            info.Environment.Remove("BERTH_URL");
            var watch = Stopwatch.StartNew();
            using var process = Process.Start(info)!;
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            await Task.WhenAll(stdout, stderr);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {process.ExitCode}: {await stderr}");
            }

            if (i > 0)
            {
                times.Add(watch.Elapsed);
            }
        }

        times.Sort();
        return times[times.Count / 2];
    }
}
