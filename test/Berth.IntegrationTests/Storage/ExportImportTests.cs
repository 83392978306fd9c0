using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Storage;

/// <summary>Export on one Berth, import on another (its own state directory and daemon): the root filesystems match file for file.</summary>
public sealed class ExportImportTests(BerthEnvironment source) : IClassFixture<BerthEnvironment>
{
    [Fact]
    public async Task ExportImport_BetweenHosts_KeepsFilesOwnersModesAndSnapshots()
    {
        var name = source.Name("exp");
        await source.LaunchAsync(name, config: new Dictionary<string, string> { ["limits.processes"] = "123" });
        await source.ExecAsync(name, "sh", "-c", "echo hello > /root/greeting && chown 1000:1001 /root/greeting && chmod 640 /root/greeting && ln -s /root/greeting /root/link && mkdir -p /srv/x && chmod 1777 /srv/x");
        await source.SucceedAsync(source.Client.CreateSnapshotAsync(name, new SnapshotCreateRequest { Name = "keep" }));
        var file = Path.Combine(source.StateDir, "exp.tar.zst");
        await source.SucceedAsync(source.Client.ExportAsync(name, new ExportRequest { File = file, Snapshots = true }));
        Assert.True(new FileInfo(file).Length > 100_000);

        await using var target = new BerthEnvironment();
        await target.InitializeAsync();
        var pool = target.Name("imp");
        await target.SucceedAsync(target.Client.CreateStoragePoolAsync(new StoragePoolCreateRequest { Name = pool, Driver = "btrfs", Size = "1GiB" }));
        var imported = target.Name("imported");
        await target.SucceedAsync(target.Client.ImportAsync(new ImportRequest { File = file, Name = imported, Storage = pool }));

        var info = await target.Client.GetContainerAsync(imported);
        Assert.Equal("busybox", info.Image);
        Assert.Equal("123", info.Config["limits.processes"]);
        Assert.Equal(["keep"], (await target.Client.ListSnapshotsAsync(imported)).Select(s => s.Name));

        await source.ChangeStateAsync(name, "stop", force: true);
        var before = await ManifestAsync(Path.Combine(source.LxcPath, name, "rootfs"));
        var after = await ManifestAsync(Path.Combine(target.StateDir, "pools", pool, "containers", imported));
        Assert.Equal(before.Where(l => !l.Contains("./etc/hostname", StringComparison.Ordinal) && !l.Contains("./etc/hosts", StringComparison.Ordinal)),
                     after.Where(l => !l.Contains("./etc/hostname", StringComparison.Ordinal) && !l.Contains("./etc/hosts", StringComparison.Ordinal)));

        await target.ChangeStateAsync(imported, "start");
        Assert.Equal("hello\n", (await target.ExecAsync(imported, "cat", "/root/greeting")).Stdout);
        Assert.Equal(imported, (await target.ExecAsync(imported, "hostname")).Stdout.Trim());
    }

    [Fact]
    public async Task Import_TruncatedOrForeignArchive_IsRefusedAndLeavesNothing()
    {
        var name = source.Name("trunc");
        await source.LaunchAsync(name, start: false);
        var file = Path.Combine(source.StateDir, "trunc.tar.zst");
        await source.SucceedAsync(source.Client.ExportAsync(name, new ExportRequest { File = file }));
        var bytes = await File.ReadAllBytesAsync(file);
        var truncated = Path.Combine(source.StateDir, "truncated.tar.zst");
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length / 2)]);
        var foreign = Path.Combine(source.StateDir, "foreign.tar.zst");
        await File.WriteAllTextAsync(foreign, "not an archive at all");

        // A file that is no archive at all is refused at once; a truncated one only shows while it is unpacked.
        var target = source.Name("badimp");
        var foreignError = await Assert.ThrowsAsync<BerthApiException>(() => source.Client.ImportAsync(new ImportRequest { File = foreign, Name = target }));
        Assert.Equal(400, foreignError.Status);
        Assert.Contains("archive", foreignError.Message, StringComparison.OrdinalIgnoreCase);

        var job = await source.WaitAsync(source.Client.ImportAsync(new ImportRequest { File = truncated, Name = target }));
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Contains("archive", job.Error, StringComparison.OrdinalIgnoreCase);

        Assert.DoesNotContain(await source.Client.ListContainersAsync(), c => c.Name == target);
        Assert.False(Directory.Exists(Path.Combine(source.LxcPath, target)));
        Assert.Empty(Directory.GetDirectories(source.LxcPath, ".import-*"));

        var exists = await Assert.ThrowsAsync<BerthApiException>(() => source.Client.ExportAsync(name, new ExportRequest { File = file }));
        Assert.Equal(409, exists.Status);
    }

    /// <summary>One line per entry: path, owner, group, mode, type and a checksum of regular files' content.</summary>
    private static async Task<List<string>> ManifestAsync(string rootfs)
    {
        var listing = await Host.RunCheckedAsync("find", rootfs, "-printf", "%P %U %G %m %y %l\\n");
        var sums = await Host.RunCheckedAsync("sh", "-c", "cd \"$1\" && find . -type f -exec sha256sum {} + | sort -k2", "sh", rootfs);
        return [.. listing.Split('\n').Where(l => l.Length > 0).Order(StringComparer.Ordinal), .. sums.Split('\n').Where(l => l.Length > 0)];
    }
}
