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
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file)); // the container's files are root's alone
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

    [Fact]
    public async Task ExportImport_Debian_KeepsEveryEntryLinkTargetAndHardLink()
    {
        var name = source.Name("debx");
        await source.LaunchAsync(name, "debian/12");
        await source.ExecAsync(name, "sh", "-c", LinkShapes);
        await source.ChangeStateAsync(name, "stop", timeout: 60);
        await source.SucceedAsync(source.Client.CreateSnapshotAsync(name, new SnapshotCreateRequest { Name = "base" }));
        var file = Path.Combine(source.StateDir, "debx.tar.zst");
        await source.SucceedAsync(source.Client.ExportAsync(name, new ExportRequest { File = file, Snapshots = true }));

        var imported = source.Name("debi");
        await source.SucceedAsync(source.Client.ImportAsync(new ImportRequest { File = file, Name = imported }));

        AssertSameTree(Path.Combine(source.LxcPath, name, "rootfs"), Path.Combine(source.LxcPath, imported, "rootfs"));
        AssertSameTree(Path.Combine(source.StateDir, "snapshots", name, "base"), Path.Combine(source.StateDir, "snapshots", imported, "base"));
        Assert.Equal("../usr/lib/os-release", new FileInfo(Path.Combine(source.LxcPath, imported, "rootfs/etc/os-release")).LinkTarget);
        await source.ChangeStateAsync(imported, "start");
        Assert.Contains("Debian", (await source.ExecAsync(imported, "cat", "/etc/os-release")).Stdout, StringComparison.Ordinal);
        await source.ChangeStateAsync(imported, "stop", force: true);
    }

    [Fact]
    public async Task Import_Version1Archive_RepairsTheLinkTargetsItRenamed()
    {
        var name = source.Name("v1");
        await source.LaunchAsync(name);
        await source.ExecAsync(name, "sh", "-c", LinkShapes);
        await source.ChangeStateAsync(name, "stop", force: true);
        await source.SucceedAsync(source.Client.CreateSnapshotAsync(name, new SnapshotCreateRequest { Name = "s1" }));
        var current = Path.Combine(source.StateDir, "v2.tar.zst");
        await source.SucceedAsync(source.Client.ExportAsync(name, new ExportRequest { File = current, Snapshots = true }));

        // The same trees written as version 1 did: each tree's rename applied to symbolic link targets too.
        var old = Path.Combine(source.StateDir, "v1.tar.zst");
        var scratch = Path.Combine(source.StateDir, "v1-scratch");
        await Host.RunCheckedAsync("sh", "-c", """
            set -e
            meta="--numeric-owner --xattrs --xattrs-include=* --acls"
            mkdir "$1"; zstd -q -d -c "$2" | tar -x --ignore-zeros -f - $meta -C "$1"
            sed -i 's/"version": *2/"version": 1/' "$1/berth.json"
            { tar -c -f - $meta -C "$1" berth.json
              tar -c -f - $meta --transform 's|^\.|rootfs|' -C "$1/rootfs" .
              tar -c -f - $meta --transform 's|^\.|snapshots/s1|' -C "$1/snapshots/s1" .; } | zstd -q -o "$3"
            """, "sh", scratch, current, old);
        var listing = await Host.RunCheckedAsync("sh", "-c", "zstd -q -d -c \"$1\" | tar -t -v --ignore-zeros -f -", "sh", old);
        Assert.Contains("-> rootfs./links/f", listing, StringComparison.Ordinal);
        Assert.Contains("-> snapshots/s1./links/f", listing, StringComparison.Ordinal);

        var imported = source.Name("v1imp");
        var job = await source.SucceedAsync(source.Client.ImportAsync(new ImportRequest { File = old, Name = imported }));

        AssertSameTree(Path.Combine(source.LxcPath, name, "rootfs"), Path.Combine(source.LxcPath, imported, "rootfs"));
        AssertSameTree(Path.Combine(source.StateDir, "snapshots", name, "s1"), Path.Combine(source.StateDir, "snapshots", imported, "s1"));
        Assert.Contains(await source.ProgressOfAsync(job.Id), p => p.Contains("version 1", StringComparison.Ordinal));
    }

    /// <summary>Relative links of each shape a tree's name could be pasted into, and a pair of hard links.</summary>
    private const string LinkShapes =
        "mkdir -p /srv/links && cd /srv/links && echo x > f && echo y > .hidden && ln f hard && ln -s ../links/f up && ln -s ./f dot && ln -s .hidden hid && ln -s . self && ln -s .. parent && ln -s /srv/links/f absolute";

    /// <summary>What import gives the new container of its own; these must exist as the same type, their content may differ.</summary>
    private static bool IsIdentity(string path) =>
        path is "etc/machine-id" or "etc/hostname" or "etc/hosts" or "etc/resolv.conf" or "var/lib/dbus/machine-id" || path.StartsWith("etc/ssh/ssh_host_", StringComparison.Ordinal);

    /// <summary>Every entry's path, type, mode, owner, size, link target, content hash and hard link group are the same.</summary>
    private static void AssertSameTree(string before, string after)
    {
        static TreeEntry Comparable(TreeEntry e) => IsIdentity(e.Path) ? new TreeEntry(e.Path, e.Type, 0, 0, 0, null, null, null, null) : e;
        var expected = TreeWalker.Walk(before).Select(Comparable).ToList();
        var actual = TreeWalker.Walk(after).Select(Comparable).ToList();
        var missing = expected.Except(actual).ToList();
        var added = actual.Except(expected).ToList();
        Assert.True(missing.Count == 0 && added.Count == 0, $"{missing.Count} entries differ after import, e.g.\n- {string.Join("\n- ", missing.Take(10))}\n+ {string.Join("\n+ ", added.Take(10))}");
        Assert.True(expected.Count > 10, $"{before} holds only {expected.Count} entries");
    }

    /// <summary>One line per entry: path, owner, group, mode, type and a checksum of regular files' content.</summary>
    private static async Task<List<string>> ManifestAsync(string rootfs)
    {
        var listing = await Host.RunCheckedAsync("find", rootfs, "-printf", "%P %U %G %m %y %l\\n");
        var sums = await Host.RunCheckedAsync("sh", "-c", "cd \"$1\" && find . -type f -exec sha256sum {} + | sort -k2", "sh", rootfs);
        return [.. listing.Split('\n').Where(l => l.Length > 0).Order(StringComparer.Ordinal), .. sums.Split('\n').Where(l => l.Length > 0)];
    }
}
