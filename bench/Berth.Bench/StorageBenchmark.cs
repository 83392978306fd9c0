using System.Diagnostics;
using Berth.Contracts;

namespace Berth.Bench;

/// <summary>
/// Storage: container creation time per pool driver for a small (busybox) and a ~250 MB (debian/12) image; the
/// seed's six-container stack (one base cloned five times, all started) on btrfs against the same on dir; export and
/// import against raw tar | zstd of the same root filesystem, measured alternately in the same run.
/// </summary>
public static class StorageBenchmark
{
    private const int ArchiveRounds = 4;

    public static async Task RunAsync(BenchHost host, int repeats)
    {
        await host.RunAsync(host.Client.BuildImageAsync("debian/12")).ConfigureAwait(false);
        await host.RunAsync(host.Client.CreateStoragePoolAsync(new StoragePoolCreateRequest { Name = "bbtrfs", Driver = "btrfs", Size = "4GiB" }));
        await host.RunAsync(host.Client.CreateStoragePoolAsync(new StoragePoolCreateRequest { Name = "boverlay", Driver = "overlay" }));

        Console.WriteLine($"storage: creating a stopped container, mean of {repeats} (after one untimed create that copies the image into the pool)");
        Console.WriteLine("  pool       busybox(ms)  debian/12(ms)  debian/busybox");
        var results = new Dictionary<string, (double Small, double Large)>();
        foreach (var pool in new[] { "default", "bbtrfs", "boverlay" })
        {
            var small = await CreateTimeAsync(host, pool, "busybox", repeats);
            var large = await CreateTimeAsync(host, pool, "debian/12", repeats);
            results[pool] = (small, large);
            Console.WriteLine($"  {pool,-9} {small,12:F0} {large,14:F0} {large / small,15:F1}x");
        }

        Console.WriteLine($"  btrfs vs dir for debian/12:   {results["bbtrfs"].Large / results["default"].Large:F3}x (goal: under 300 ms, flat in image size)");
        Console.WriteLine($"  overlay vs dir for debian/12: {results["boverlay"].Large / results["default"].Large:F3}x");

        var dirStack = await StackAsync(host, "default", "sdir");
        var btrfsStack = await StackAsync(host, "bbtrfs", "sbtr");
        Console.WriteLine("storage: one debian/12 base cloned five times, all six started");
        Console.WriteLine($"  anchor dir pool:  {dirStack.TotalSeconds,6:F2} s");
        Console.WriteLine($"  btrfs pool:       {btrfsStack.TotalSeconds,6:F2} s ({btrfsStack / dirStack:F2}x; seed's cached-base anchor 150 s, goal under 5 s)");

        await ArchiveAsync(host);
    }

    /// <summary>Only the export and import comparison (bench/run archive).</summary>
    public static async Task ArchiveOnlyAsync(BenchHost host)
    {
        await host.RunAsync(host.Client.BuildImageAsync("debian/12")).ConfigureAwait(false);
        await ArchiveAsync(host);
    }

    private static async Task<double> CreateTimeAsync(BenchHost host, string pool, string image, int repeats)
    {
        var prefix = $"c{pool[1..4]}{(image == "busybox" ? "b" : "d")}";
        await LaunchAsync(host, $"{prefix}-warm", image, pool);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < repeats; i++)
        {
            await LaunchAsync(host, $"{prefix}-{i}", image, pool);
        }

        return watch.Elapsed.TotalMilliseconds / repeats;
    }

    private static Task LaunchAsync(BenchHost host, string name, string image, string pool) =>
        host.RunAsync(host.Client.LaunchAsync(new LaunchRequest { Name = name, Image = image, Storage = pool, Start = false }));

    private static async Task<TimeSpan> StackAsync(BenchHost host, string pool, string prefix)
    {
        await LaunchAsync(host, $"{prefix}-base", "debian/12", pool);
        var watch = Stopwatch.StartNew();
        var names = Enumerable.Range(1, 5).Select(i => $"{prefix}-svc{i}").ToList();
        foreach (var name in names)
        {
            await host.RunAsync(host.Client.CopyAsync($"{prefix}-base", new CopyRequest { Target = name }));
        }

        await Task.WhenAll(names.Prepend($"{prefix}-base").Select(n => host.RunAsync(host.Client.ChangeStateAsync(n, new StateChangeRequest { Action = "start" }))));
        return watch.Elapsed;
    }

    /// <summary>
    /// Export and import against the same work done by a shell pipe, each side once untimed (to warm the page cache),
    /// then <see cref="ArchiveRounds"/> times each, alternating, every run after a sync so none pays for the previous
    /// one's writeback; outputs are removed between runs.
    /// </summary>
    private static async Task ArchiveAsync(BenchHost host)
    {
        var name = "arch-src";
        await LaunchAsync(host, name, "debian/12", "default");
        var rootfs = Path.Combine(host.LxcPath, name, "rootfs");
        var dir = Path.Combine(host.StateDir, "archives");
        Directory.CreateDirectory(dir);
        var raw = Path.Combine(dir, "raw.tar.zst");
        var berthFile = Path.Combine(dir, "berth.tar.zst");

        var export = await CompareAsync(
            () => BenchHost.ToolAsync("sh", "-c", "tar --numeric-owner --xattrs --acls -C \"$1\" -cf - . | zstd -q -T0 -f -o \"$2\"", "sh", rootfs, raw),
            () => Task.CompletedTask,
            () => host.RunAsync(host.Client.ExportAsync(name, new ExportRequest { File = berthFile })),
            () =>
            {
                File.Delete(berthFile);
                return Task.CompletedTask;
            });
        await host.RunAsync(host.Client.ExportAsync(name, new ExportRequest { File = berthFile }));

        var rawTarget = Path.Combine(dir, "raw-unpacked");
        var imported = "arch-imported";
        var import = await CompareAsync(
            () =>
            {
                Directory.CreateDirectory(rawTarget);
                return BenchHost.ToolAsync("sh", "-c", "zstd -q -d -c \"$1\" | tar --numeric-owner --xattrs --acls -C \"$2\" -xf -", "sh", raw, rawTarget);
            },
            () => BenchHost.ToolAsync("rm", "-rf", "--one-file-system", rawTarget),
            () => host.RunAsync(host.Client.ImportAsync(new ImportRequest { File = berthFile, Name = imported })),
            () => host.RunAsync(host.Client.DeleteAsync(imported)));

        // Into btrfs: Berth unpacks straight into a subvolume; the anchor unpacks into a directory on the same filesystem.
        await host.RunAsync(host.Client.CreateStoragePoolAsync(new StoragePoolCreateRequest { Name = "barchive", Driver = "btrfs", Size = "4GiB" }));
        var btrfsTarget = Path.Combine((await host.Client.GetStoragePoolAsync("barchive")).Path, "raw-unpacked");
        var btrfsImport = await CompareAsync(
            () =>
            {
                Directory.CreateDirectory(btrfsTarget);
                return BenchHost.ToolAsync("sh", "-c", "zstd -q -d -c \"$1\" | tar --numeric-owner --xattrs --acls -C \"$2\" -xf -", "sh", raw, btrfsTarget);
            },
            () => BenchHost.ToolAsync("rm", "-rf", "--one-file-system", btrfsTarget),
            () => host.RunAsync(host.Client.ImportAsync(new ImportRequest { File = berthFile, Name = imported, Storage = "barchive" })),
            () => host.RunAsync(host.Client.DeleteAsync(imported)));

        var size = new FileInfo(berthFile).Length / 1024.0 / 1024.0;
        Console.WriteLine($"storage: export and import of a debian/12 container ({size:F0} MiB compressed), mean of {ArchiveRounds} alternating runs after one untimed run of each");
        Console.WriteLine($"  anchor tar | zstd:       {export.Anchor,6:F2} s    berth export: {export.Berth,6:F2} s   throughput ratio {export.Anchor / export.Berth:F2}x (goal >= 0.9x)   runs {export.Runs}");
        Console.WriteLine($"  anchor zstd -d | tar -x: {import.Anchor,6:F2} s    berth import: {import.Berth,6:F2} s   throughput ratio {import.Anchor / import.Berth:F2}x (goal >= 0.9x)   runs {import.Runs}");
        Console.WriteLine($"  into btrfs, anchor:      {btrfsImport.Anchor,6:F2} s    berth import: {btrfsImport.Berth,6:F2} s   throughput ratio {btrfsImport.Anchor / btrfsImport.Berth:F2}x (goal >= 0.9x)   runs {btrfsImport.Runs}");
    }

    /// <summary>Mean seconds of the anchor and of Berth, and every timed run as "anchor/berth".</summary>
    private static async Task<(double Anchor, double Berth, string Runs)> CompareAsync(Func<Task> anchor, Func<Task> undoAnchor, Func<Task> berth, Func<Task> undoBerth)
    {
        async Task<double> OnceAsync(Func<Task> action, Func<Task> undo)
        {
            await BenchHost.ToolAsync("sync");
            var elapsed = await TimeAsync(action);
            await undo();
            return elapsed.TotalSeconds;
        }

        await OnceAsync(anchor, undoAnchor);
        await OnceAsync(berth, undoBerth);
        var anchors = new List<double>();
        var berths = new List<double>();
        for (var i = 0; i < ArchiveRounds; i++)
        {
            // Which goes first alternates too, anchor-Berth, Berth-anchor, Berth-anchor, anchor-Berth: where disk
            // throughput sags under sustained writes, each run is slower than the one before, and this order gives
            // both sides the same mean position.
            if (System.Numerics.BitOperations.PopCount((uint)i) % 2 == 0)
            {
                anchors.Add(await OnceAsync(anchor, undoAnchor));
                berths.Add(await OnceAsync(berth, undoBerth));
            }
            else
            {
                berths.Add(await OnceAsync(berth, undoBerth));
                anchors.Add(await OnceAsync(anchor, undoAnchor));
            }
        }

        var runs = string.Join(" ", anchors.Zip(berths, (a, b) => $"{a:F2}/{b:F2}"));
        return (anchors.Average(), berths.Average(), runs);
    }

    private static async Task<TimeSpan> TimeAsync(Func<Task> action)
    {
        var watch = Stopwatch.StartNew();
        await action();
        return watch.Elapsed;
    }
}
