using System.Globalization;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Storage;

/// <summary>
/// Pools that fill up while a container is created, copied or imported: the job says which pool ran out of space and
/// what to do, and everything it had made is gone (row, LXC directory, root filesystem, staged files, address, space).
/// </summary>
public sealed class OutOfSpaceTests(NetworkBerthEnvironment env) : IClassFixture<NetworkBerthEnvironment>
{
    private const long Slack = 16L * 1024 * 1024;

    [Fact]
    public async Task Launch_IntoAPoolTooSmallForTheImage_FailsClearlyAndLeavesNothing()
    {
        var network = await CreateNetworkAsync("oosl");
        var pool = await CreateSmallBtrfsPoolAsync("full");
        var usedBefore = await UsedBytesAsync(pool.Path);

        // debian/12 is over 200 MB; the smallest btrfs pool holds about 175 MiB of data.
        var name = env.Name("toobig");
        var job = await env.WaitAsync(env.Client.LaunchAsync(new LaunchRequest { Name = name, Image = "debian/12", Storage = pool.Name, Network = network }));
        Assert.Equal(JobStatus.Failed, job.Status);
        AssertOutOfSpaceError(job, pool.Name);

        await AssertNothingLeftAsync(name, pool, network);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(pool.Path, "images")));
        Assert.InRange(await UsedBytesAsync(pool.Path), 0, usedBefore + Slack);

        // The pool, and the address the failed launch had, still serve.
        var small = env.Name("fits");
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = small, Image = "busybox", Storage = pool.Name, Network = network }));
        Assert.Equal(ContainerStatus.Running, (await env.Client.GetContainerAsync(small)).Status);
        await env.SucceedAsync(env.Client.DeleteAsync(small, force: true));
        await env.SucceedAsync(env.Client.DeleteStoragePoolAsync(pool.Name));
    }

    [Fact]
    public async Task Copy_InADirPoolWithoutRoomForIt_FailsClearlyAndLeavesNothing()
    {
        // On btrfs and overlay a copy shares blocks; a dir pool on a filesystem without reflinks copies every byte.
        var network = await CreateNetworkAsync("oosc");
        var filesystem = await MountSmallExt4Async("copyfs", 96);
        var poolName = env.Name("dirfull");
        await env.SucceedAsync(env.Client.CreateStoragePoolAsync(new StoragePoolCreateRequest { Name = poolName, Driver = "dir", Source = filesystem }));
        var pool = await env.Client.GetStoragePoolAsync(poolName);

        var source = env.Name("filled");
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = source, Image = "busybox", Storage = poolName, Network = network }));
        var fill = (await AvailableBytesAsync(filesystem)) * 6 / 10 / (1024 * 1024);
        var (code, _, stderr) = await env.ExecAsync(source, "dd", "if=/dev/zero", "of=/root/fill", "bs=1M", $"count={fill.ToString(CultureInfo.InvariantCulture)}");
        Assert.True(code == 0, stderr);
        await env.ChangeStateAsync(source, "stop", force: true);
        var usedBefore = await UsedBytesAsync(filesystem);

        var copy = env.Name("nocopy");
        var job = await env.WaitAsync(env.Client.CopyAsync(source, new CopyRequest { Target = copy }));
        Assert.Equal(JobStatus.Failed, job.Status);
        AssertOutOfSpaceError(job, poolName);

        await AssertNothingLeftAsync(copy, pool, network);
        Assert.InRange(await UsedBytesAsync(filesystem), 0, usedBefore + Slack);
        Assert.Equal(ContainerStatus.Stopped, (await env.Client.GetContainerAsync(source)).Status);

        // Once there is room, the same copy works.
        File.Delete(Path.Combine(pool.Path, "containers", source, "rootfs", "root", "fill"));
        await env.SucceedAsync(env.Client.CopyAsync(source, new CopyRequest { Target = copy }));
        await env.ChangeStateAsync(copy, "start");
        Assert.Equal(copy, (await env.ExecAsync(copy, "hostname")).Stdout.Trim());
        await env.SucceedAsync(env.Client.DeleteAsync(copy, force: true));
        await env.SucceedAsync(env.Client.DeleteAsync(source, force: true));
        await env.SucceedAsync(env.Client.DeleteStoragePoolAsync(poolName));
    }

    [Fact]
    public async Task Import_IntoAPoolTooSmallForTheArchive_FailsClearlyAndLeavesNothing()
    {
        var exported = env.Name("debexp");
        await env.LaunchAsync(exported, "debian/12", start: false);
        var file = Path.Combine(env.StateDir, "debian.tar.zst");
        await env.SucceedAsync(env.Client.ExportAsync(exported, new ExportRequest { File = file }));
        await env.SucceedAsync(env.Client.DeleteAsync(exported));

        var pool = await CreateSmallBtrfsPoolAsync("impfull");
        var usedBefore = await UsedBytesAsync(pool.Path);
        var name = env.Name("noimp");
        var job = await env.WaitAsync(env.Client.ImportAsync(new ImportRequest { File = file, Name = name, Storage = pool.Name }));
        Assert.Equal(JobStatus.Failed, job.Status);
        AssertOutOfSpaceError(job, pool.Name);
        Assert.DoesNotContain("corrupt", job.Error, StringComparison.OrdinalIgnoreCase);

        await AssertNothingLeftAsync(name, pool, network: null);
        Assert.Equal(["containers", "images", "snapshots"], Directory.GetFileSystemEntries(pool.Path).Select(e => Path.GetFileName(e)).Order(StringComparer.Ordinal));
        Assert.InRange(await UsedBytesAsync(pool.Path), 0, usedBefore + Slack);

        var small = env.Name("impfits");
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = small, Image = "busybox", Storage = pool.Name, Start = false }));
        await env.SucceedAsync(env.Client.DeleteAsync(small));
        await env.SucceedAsync(env.Client.DeleteStoragePoolAsync(pool.Name));
    }

    [Fact]
    public async Task RestoreSnapshot_InADirPoolWithoutRoomForIt_FailsAndLeavesTheContainerAsItWas()
    {
        var filesystem = await MountSmallExt4Async("restorefs", 96);
        var poolName = env.Name("dirrest");
        await env.SucceedAsync(env.Client.CreateStoragePoolAsync(new StoragePoolCreateRequest { Name = poolName, Driver = "dir", Source = filesystem }));
        var pool = await env.Client.GetStoragePoolAsync(poolName);
        var name = env.Name("restore");
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = name, Image = "busybox", Storage = poolName }));

        // A snapshot holding a third of the room, then as much again in the container: restoring needs a full copy.
        var part = ((await AvailableBytesAsync(filesystem)) * 35 / 100 / (1024 * 1024)).ToString(CultureInfo.InvariantCulture);
        Assert.Equal(0, (await env.ExecAsync(name, "dd", "if=/dev/zero", "of=/root/old", "bs=1M", $"count={part}")).ExitCode);
        await env.SucceedAsync(env.Client.CreateSnapshotAsync(name, new SnapshotCreateRequest { Name = "s1" }));
        Assert.Equal(0, (await env.ExecAsync(name, "sh", "-c", $"rm /root/old && dd if=/dev/zero of=/root/new bs=1M count={part} && sync")).ExitCode);
        var usedBefore = await UsedBytesAsync(filesystem);

        // Restoring a running container stops it first; when the restore fails it runs again as it was.
        var job = await env.WaitAsync(env.Client.RestoreSnapshotAsync(name, "s1", stop: true));
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Contains($"pool '{poolName}' ran out of space while restoring snapshot 's1'", job.Error, StringComparison.Ordinal);
        Assert.Contains("the container is as it was", job.Error, StringComparison.Ordinal);
        Assert.Equal(ContainerStatus.Running, (await env.Client.GetContainerAsync(name)).Status);

        var rootfs = Path.Combine(pool.Path, "containers", name, "rootfs");
        Assert.False(Directory.Exists(rootfs + ".restoring"), "the partial copy of the snapshot is left");
        Assert.True(File.Exists(Path.Combine(rootfs, "root", "new")));
        Assert.False(File.Exists(Path.Combine(rootfs, "root", "old")));
        Assert.Equal(["s1"], (await env.Client.ListSnapshotsAsync(name)).Select(s => s.Name));
        Assert.InRange(await UsedBytesAsync(filesystem), 0, usedBefore + Slack);

        await env.SucceedAsync(env.Client.DeleteAsync(name, force: true));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(pool.Path, "containers")));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(pool.Path, "snapshots")));
        await env.SucceedAsync(env.Client.DeleteStoragePoolAsync(poolName));
    }

    private static void AssertOutOfSpaceError(JobInfo job, string pool)
    {
        Assert.NotNull(job.Error);
        Assert.Contains($"pool '{pool}' ran out of space", job.Error, StringComparison.Ordinal);
        Assert.Contains("nothing was created", job.Error, StringComparison.Ordinal);
        Assert.Contains("larger pool", job.Error, StringComparison.Ordinal);
        Assert.Contains("free space", job.Error, StringComparison.Ordinal);
    }

    /// <summary>No row, no LXC directory, nothing of it in the pool, no staged import anywhere in the state directory, no address.</summary>
    private async Task AssertNothingLeftAsync(string name, StoragePoolInfo pool, string? network)
    {
        Assert.DoesNotContain(await env.Client.ListContainersAsync(), c => c.Name == name);
        Assert.False(Directory.Exists(Path.Combine(env.LxcPath, name)), "the LXC directory is left");
        Assert.False(Directory.Exists(Path.Combine(pool.Path, "containers", name)), "the root filesystem is left in the pool");
        Assert.False(Directory.Exists(Path.Combine(pool.Path, "snapshots", name)), "a snapshot directory is left in the pool");
        Assert.Empty((await Host.RunCheckedAsync("find", env.StateDir, "-name", ".import-*", "-o", "-name", "*.importing-*", "-o", "-name", "*.restoring")).Trim());
        if (pool.Driver == "btrfs")
        {
            var subvolumes = await Host.RunCheckedAsync("btrfs", "subvolume", "list", pool.Path);
            Assert.DoesNotContain(name, subvolumes, StringComparison.Ordinal);
            Assert.DoesNotContain("importing", subvolumes, StringComparison.Ordinal);
        }

        if (network is not null)
        {
            Assert.False((await env.Client.GetNetworkAsync(network)).Leases.ContainsKey(name), "the address lease is left");
            var hosts = Path.Combine(env.StateDir, "dns", network, "hosts");
            Assert.DoesNotContain(name, File.Exists(hosts) ? await File.ReadAllTextAsync(hosts) : "", StringComparison.Ordinal);
        }
    }

    private async Task<string> CreateNetworkAsync(string hint)
    {
        var network = env.NetworkName(hint);
        await env.SucceedAsync(env.Client.CreateNetworkAsync(new NetworkCreateRequest { Name = network, Subnet = env.NextSubnet() }));
        return network;
    }

    /// <summary>A btrfs pool of the smallest size Berth accepts.</summary>
    private async Task<StoragePoolInfo> CreateSmallBtrfsPoolAsync(string hint)
    {
        var pool = env.Name(hint);
        await env.SucceedAsync(env.Client.CreateStoragePoolAsync(new StoragePoolCreateRequest { Name = pool, Driver = "btrfs", Size = "256MiB" }));
        return await env.Client.GetStoragePoolAsync(pool);
    }

    /// <summary>A small ext4 loop filesystem under the state directory (the fixture unmounts it, which frees the loop device).</summary>
    private async Task<string> MountSmallExt4Async(string hint, int mebibytes)
    {
        var mountPoint = Path.Combine(env.StateDir, hint);
        var image = mountPoint + ".img";
        await using (var stream = new FileStream(image, FileMode.CreateNew, FileAccess.Write))
        {
            stream.SetLength(mebibytes * 1024L * 1024);
        }

        await Host.RunCheckedAsync("mkfs.ext4", "-q", "-F", image);
        Directory.CreateDirectory(mountPoint);
        await Host.RunCheckedAsync("mount", "-o", "loop", "--", image, mountPoint);
        return mountPoint;
    }

    /// <summary>Bytes in use on the filesystem holding <paramref name="path"/>, after its pending frees are committed.</summary>
    private static Task<long> UsedBytesAsync(string path) => DiskFreeAsync(path, "used");

    private static Task<long> AvailableBytesAsync(string path) => DiskFreeAsync(path, "avail");

    private static async Task<long> DiskFreeAsync(string path, string field)
    {
        await Host.RunCheckedAsync("sync", "-f", path);
        var output = await Host.RunCheckedAsync("df", "-B1", $"--output={field}", path);
        return long.Parse(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Trim(), CultureInfo.InvariantCulture);
    }
}
