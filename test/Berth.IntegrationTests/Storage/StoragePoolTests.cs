using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Storage;

/// <summary>btrfs pools on a loop file Berth creates: containers are subvolume snapshots of the image; pools clean up after themselves.</summary>
public sealed class StoragePoolTests(BerthEnvironment env) : IClassFixture<BerthEnvironment>
{
    [Fact]
    public async Task BtrfsLoopPool_ContainersAreSubvolumes_AndThePoolGoesAwayCompletely()
    {
        var pool = env.Name("btr");
        await env.SucceedAsync(env.Client.CreateStoragePoolAsync(new StoragePoolCreateRequest { Name = pool, Driver = "btrfs", Size = "1GiB" }));
        var info = await env.Client.GetStoragePoolAsync(pool);
        Assert.Equal("btrfs", info.Driver);
        Assert.True(info.CopyOnWrite);
        Assert.NotNull(info.LoopFile);
        Assert.Equal("btrfs", (await Host.RunCheckedAsync("findmnt", "-n", "-o", "FSTYPE", info.Path)).Trim());

        var name = env.Name("onbtr");
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = name, Image = "busybox", Storage = pool }));
        Assert.Equal(ContainerStatus.Running, (await env.Client.GetContainerAsync(name)).Status);
        var rootfs = Path.Combine(info.Path, "containers", name);
        Assert.Equal(0, (await Host.RunAsync("btrfs", "subvolume", "show", rootfs)).ExitCode);
        var (code, stdout, _) = await env.ExecAsync(name, "sh", "-c", "echo data > /root/file && cat /root/file");
        Assert.Equal(0, code);
        Assert.Equal("data\n", stdout);
        Assert.Equal(1, (await env.Client.GetStoragePoolAsync(pool)).Containers);

        // Disk use is the pool's own filesystem (the 1 GiB loop file), as df sees it, and grows with what is written.
        await Host.RunCheckedAsync("sync", "-f", info.Path);
        var before = await env.Client.GetStoragePoolAsync(pool);
        var (dfSize, dfUsed) = await DfAsync(info.Path);
        Assert.Equal(dfSize, before.DiskTotalBytes);
        Assert.InRange(before.DiskUsedBytes!.Value, dfUsed - (8 << 20), dfUsed + (8 << 20));
        Assert.InRange(before.DiskTotalBytes!.Value, 900L << 20, 1L << 30);
        await Host.RunCheckedAsync("dd", "if=/dev/urandom", $"of={Path.Combine(rootfs, "root", "fill")}", "bs=1M", "count=200", "conv=fsync", "status=none");
        await Host.RunCheckedAsync("sync", "-f", info.Path);
        var after = await env.Client.GetStoragePoolAsync(pool);
        Assert.True(after.DiskUsedBytes >= before.DiskUsedBytes + (150 << 20), $"used {before.DiskUsedBytes} before, {after.DiskUsedBytes} after writing 200 MiB");
        var defaultPool = await env.Client.GetStoragePoolAsync("default");
        Assert.Equal((await DfAsync(defaultPool.Path)).Size, defaultPool.DiskTotalBytes);

        var inUse = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.DeleteStoragePoolAsync(pool));
        Assert.Equal(409, inUse.Status);

        await env.SucceedAsync(env.Client.DeleteAsync(name, force: true));
        Assert.False(Directory.Exists(rootfs));
        await env.SucceedAsync(env.Client.DeleteStoragePoolAsync(pool));
        Assert.False(File.Exists(info.LoopFile));
        Assert.NotEqual(0, (await Host.RunAsync("findmnt", info.Path)).ExitCode);
        Assert.DoesNotContain(await env.Client.ListStoragePoolsAsync(), p => p.Name == pool);
    }

    [Fact]
    public async Task DirPool_HoldsContainersUnderItsPath()
    {
        var pool = env.Name("dirp");
        await env.SucceedAsync(env.Client.CreateStoragePoolAsync(new StoragePoolCreateRequest { Name = pool, Driver = "dir" }));
        var info = await env.Client.GetStoragePoolAsync(pool);
        Assert.False(info.CopyOnWrite);

        var name = env.Name("ondir");
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = name, Image = "busybox", Storage = pool }));
        Assert.True(File.Exists(Path.Combine(info.Path, "containers", name, "rootfs", "bin", "busybox")));
        Assert.Equal(ContainerStatus.Running, (await env.Client.GetContainerAsync(name)).Status);
    }

    [Theory]
    [InlineData("zfs", null, null, 400)]
    [InlineData("btrfs", null, null, 400)]
    [InlineData("btrfs", null, "huge", 400)]
    [InlineData("btrfs", null, "1MiB", 400)]
    [InlineData("dir", null, "1GiB", 400)]
    [InlineData("btrfs", "/definitely/not/here", null, 400)]
    public async Task CreatePool_BadInput_IsRefusedAndCreatesNothing(string driver, string? source, string? size, int status)
    {
        var pool = env.Name("bad");
        var error = await Assert.ThrowsAsync<BerthApiException>(() =>
            env.Client.CreateStoragePoolAsync(new StoragePoolCreateRequest { Name = pool, Driver = driver, Source = source, Size = size }));
        Assert.Equal(status, error.Status);
        Assert.DoesNotContain(await env.Client.ListStoragePoolsAsync(), p => p.Name == pool);
        Assert.False(Directory.Exists(Path.Combine(env.StateDir, "pools", pool)));
    }

    [Fact]
    public async Task BtrfsSource_ThatIsNotBtrfs_FailsAndLeavesNothing()
    {
        var pool = env.Name("notbtr");
        var dir = Path.Combine(env.StateDir, "plain");
        Directory.CreateDirectory(dir);
        var job = await env.WaitAsync(env.Client.CreateStoragePoolAsync(new StoragePoolCreateRequest { Name = pool, Driver = "btrfs", Source = dir }));
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Contains("not btrfs", job.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(await env.Client.ListStoragePoolsAsync(), p => p.Name == pool);
    }

    [Fact]
    public async Task Launch_UnknownPool_Is404()
    {
        var error = await Assert.ThrowsAsync<BerthApiException>(() =>
            env.Client.LaunchAsync(new LaunchRequest { Name = env.Name("nopool"), Image = "busybox", Storage = "no-such-pool" }));
        Assert.Equal(404, error.Status);
    }

    private static async Task<(long Size, long Used)> DfAsync(string path)
    {
        var fields = (await Host.RunCheckedAsync("df", "-B1", "--output=size,used", path)).Split('\n', StringSplitOptions.RemoveEmptyEntries)[1]
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (long.Parse(fields[0], System.Globalization.CultureInfo.InvariantCulture), long.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture));
    }
}
