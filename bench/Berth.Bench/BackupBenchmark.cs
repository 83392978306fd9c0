using System.Diagnostics;
using System.Security.Cryptography;
using Berth.Contracts;

namespace Berth.Bench;

/// <summary>
/// Backups on a local restic target: a first backup of a debian/12 container through Berth (the API call until its job
/// ends) against restic run by hand on the same tree (a fresh repository made the same way, the same options Berth
/// passes) and against tar | zstd of the tree to the same disk; then second backups of a ~300 MB container with nothing
/// changed and with 10 MB changed, against restic's own second backup of the same tree into a repository of its own.
/// Rounds alternate which side goes first; medians.
/// </summary>
public static class BackupBenchmark
{
    private const int FirstRounds = 5;
    private const int SecondRounds = 5;
    private const int DataFiles = 50;
    private const int DataFileBytes = 5 * 1024 * 1024;

    public static async Task RunAsync(BenchHost host, int rounds)
    {
        await host.RunAsync(host.Client.BuildImageAsync("debian/12")).ConfigureAwait(false);
        var work = Path.Combine(host.StateDir, "backup-bench");
        Directory.CreateDirectory(work);
        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

        await FirstBackupAsync(host, work, password, rounds > 0 ? rounds : FirstRounds).ConfigureAwait(false);
        await SecondBackupAsync(host, work, password, rounds > 0 ? rounds : SecondRounds).ConfigureAwait(false);
    }

    private static async Task FirstBackupAsync(BenchHost host, string work, string password, int rounds)
    {
        const string name = "bk-first";
        await host.RunAsync(host.Client.LaunchAsync(new LaunchRequest { Name = name, Image = "debian/12", Start = false })).ConfigureAwait(false);
        var containerDir = Path.Combine(host.LxcPath, name);
        var tarFile = Path.Combine(work, "first.tar.zst");
        List<double> berth = [], restic = [], tar = [], inJob = [];
        for (var i = -1; i < rounds; i++)
        {
            // Round -1 warms the page cache for all three and is not counted.
            var berthRepo = Path.Combine(work, $"berth-first-{i + 1}");
            var handRepo = Path.Combine(work, $"hand-first-{i + 1}");
            await host.Client.AddBackupTargetAsync(new BackupTargetCreateRequest { Name = $"first{i + 1}", Url = berthRepo }).ConfigureAwait(false);
            await ResticAsync(handRepo, password, work, "init").ConfigureAwait(false);
            var sides = new List<(List<double> Into, Func<Task> Run)>
            {
                (berth, () => BerthBackupAsync(host, name, $"first{i + 1}", i >= 0 ? inJob : null)),
                (restic, () => HandBackupAsync(handRepo, password, containerDir)),
                (tar, () => BenchHost.ToolAsync("sh", "-c", "tar --numeric-owner --xattrs --acls -C \"$1\" -cf - . | zstd -q -T0 -f -o \"$2\"", "sh", containerDir, tarFile)),
            };
            // Each round starts with the next side, so every side goes first, second and third equally often.
            for (var k = 0; k < sides.Count; k++)
            {
                var (into, run) = sides[(k + Math.Max(i, 0)) % sides.Count];
                var seconds = await TimedAsync(run).ConfigureAwait(false);
                if (i >= 0)
                {
                    into.Add(seconds);
                }
            }

            await BenchHost.ToolAsync("rm", "-rf", "--one-file-system", berthRepo, handRepo, tarFile).ConfigureAwait(false);
        }

        var mib = (await DirectoryBytesAsync(containerDir).ConfigureAwait(false)) / 1024.0 / 1024.0;
        Console.WriteLine($"backup: first backup of a stopped debian/12 container ({mib:F0} MiB) to a fresh local repository, median of {rounds} rotating rounds after one untimed");
        Console.WriteLine($"  anchor restic backup by hand: {Median(restic),6:F2} s   runs {Runs(restic)}");
        Console.WriteLine($"  berth backup run (job):       {Median(berth),6:F2} s   runs {Runs(berth)}   throughput ratio {Median(restic) / Median(berth):F3}x (goal >= 0.95x)");
        Console.WriteLine($"  tar | zstd to the same disk:  {Median(tar),6:F2} s   runs {Runs(tar)}   berth/tar {Median(berth) / Median(tar):F2}x");
        Console.WriteLine($"  of berth's time, inside the job (from its start to its end): {Median(inJob):F2} s; the rest is the API call, the queue and the wait for the job's end");
    }

    private static async Task SecondBackupAsync(BenchHost host, string work, string password, int rounds)
    {
        const string name = "bk-second";
        await host.RunAsync(host.Client.LaunchAsync(new LaunchRequest { Name = name, Image = "debian/12", Start = false })).ConfigureAwait(false);
        var containerDir = Path.Combine(host.LxcPath, name);
        var data = Path.Combine(containerDir, "rootfs", "srv", "bench");
        Directory.CreateDirectory(data);
        for (var f = 0; f < DataFiles; f++)
        {
            await File.WriteAllBytesAsync(Path.Combine(data, $"blob{f:D2}"), RandomNumberGenerator.GetBytes(DataFileBytes)).ConfigureAwait(false);
        }

        var mib = (await DirectoryBytesAsync(containerDir).ConfigureAwait(false)) / 1024.0 / 1024.0;
        var berthRepo = Path.Combine(work, "berth-second");
        var handRepo = Path.Combine(work, "hand-second");
        await host.Client.AddBackupTargetAsync(new BackupTargetCreateRequest { Name = "second", Url = berthRepo }).ConfigureAwait(false);
        await ResticAsync(handRepo, password, work, "init").ConfigureAwait(false);
        List<double> inJob = [];
        Task Berth() => BerthBackupAsync(host, name, "second", inJob);
        Task Hand() => HandBackupAsync(handRepo, password, containerDir);
        await Berth().ConfigureAwait(false);
        await Hand().ConfigureAwait(false);

        var unchanged = await AlternateAsync(rounds, Hand, Berth, () => Task.CompletedTask).ConfigureAwait(false);
        var next = 0;
        var changed = await AlternateAsync(rounds, Hand, Berth, async () =>
        {
            // 10 MB of new incompressible data in place of two of the files, the same change for both sides.
            for (var f = 0; f < 2; f++)
            {
                await File.WriteAllBytesAsync(Path.Combine(data, $"blob{next++ % DataFiles:D2}"), RandomNumberGenerator.GetBytes(DataFileBytes)).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);

        Console.WriteLine($"backup: second backup of a stopped {mib:F0} MiB container ({DataFiles} x 5 MiB random files plus debian/12), median of {rounds} alternating rounds");
        Console.WriteLine($"  nothing changed: anchor restic {Median(unchanged.Anchor),5:F2} s   berth {Median(unchanged.Berth),5:F2} s (goal < 2 s)   ratio {Median(unchanged.Anchor) / Median(unchanged.Berth):F3}x   runs {Runs(unchanged.Anchor, unchanged.Berth)}");
        Console.WriteLine($"  of berth's time, inside the job: nothing changed {Median(inJob[1..(1 + rounds)]):F2} s, 10 MB changed {Median(inJob[(1 + rounds)..]):F2} s");
        Console.WriteLine($"  10 MB changed:   anchor restic {Median(changed.Anchor),5:F2} s   berth {Median(changed.Berth),5:F2} s (goal < 5 s)   ratio {Median(changed.Anchor) / Median(changed.Berth):F3}x   runs {Runs(changed.Anchor, changed.Berth)}");
    }

    /// <summary>Berth's backup, as a user runs it: the API call until its job ends; the job's own duration goes to <paramref name="inJob"/>.</summary>
    private static async Task BerthBackupAsync(BenchHost host, string container, string target, List<double>? inJob)
    {
        var job = await host.RunAsync(host.Client.BackupAsync(container, new BackupRunRequest { Target = target })).ConfigureAwait(false);
        if (inJob is not null && job.DurationSeconds is { } seconds)
        {
            inJob.Add(seconds);
        }
    }

    /// <summary>Rounds of <paramref name="change"/> then both sides, the first side alternating.</summary>
    private static async Task<(List<double> Anchor, List<double> Berth)> AlternateAsync(int rounds, Func<Task> anchor, Func<Task> berth, Func<Task> change)
    {
        List<double> anchors = [], berths = [];
        for (var i = 0; i < rounds; i++)
        {
            await change().ConfigureAwait(false);
            if (i % 2 == 0)
            {
                anchors.Add(await TimedAsync(anchor).ConfigureAwait(false));
                berths.Add(await TimedAsync(berth).ConfigureAwait(false));
            }
            else
            {
                berths.Add(await TimedAsync(berth).ConfigureAwait(false));
                anchors.Add(await TimedAsync(anchor).ConfigureAwait(false));
            }
        }

        return (anchors, berths);
    }

    /// <summary>What Berth runs for a stopped container, by hand: the container's config and rootfs from its directory, Berth's options.</summary>
    private static Task HandBackupAsync(string repository, string password, string containerDir) =>
        ResticAsync(repository, password, containerDir, "backup", "--json", "--host", "bench", "--ignore-inode", "--tag", "container", "--", "config", "rootfs");

    private static async Task ResticAsync(string repository, string password, string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("restic") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["RESTIC_REPOSITORY"] = repository;
        info.Environment["RESTIC_PASSWORD"] = password;
        info.Environment["RESTIC_CACHE_DIR"] = Path.Combine(Path.GetDirectoryName(repository)!, "hand-cache");
        info.Environment["RESTIC_PROGRESS_FPS"] = "0.5";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        await stdout.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"restic {string.Join(' ', args)}: {await stderr.ConfigureAwait(false)}");
        }
    }

    private static async Task<double> TimedAsync(Func<Task> action)
    {
        await BenchHost.ToolAsync("sync").ConfigureAwait(false);
        var watch = Stopwatch.StartNew();
        await action().ConfigureAwait(false);
        return watch.Elapsed.TotalSeconds;
    }

    private static async Task<long> DirectoryBytesAsync(string dir) =>
        long.Parse((await BenchHost.ToolAsync("du", "-sb", "--", dir).ConfigureAwait(false)).Split('\t')[0], System.Globalization.CultureInfo.InvariantCulture);

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Runs(List<double> values) => string.Join(" ", values.Select(v => v.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)));

    private static string Runs(List<double> anchors, List<double> berths) => string.Join(" ", anchors.Zip(berths, (a, b) => $"{a:F2}/{b:F2}"));
}
