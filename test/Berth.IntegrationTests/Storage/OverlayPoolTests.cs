using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Storage;

/// <summary>overlayfs over the image, with an idmapped lower layer: unprivileged containers own their files, the image stays untouched.</summary>
public sealed class OverlayPoolTests(BerthEnvironment env) : IClassFixture<BerthEnvironment>
{
    [Fact]
    public async Task OverlayPool_UnprivilegedContainer_WritesToItsUpperLayerOnly()
    {
        var pool = env.Name("ovl");
        await env.SucceedAsync(env.Client.CreateStoragePoolAsync(new StoragePoolCreateRequest { Name = pool, Driver = "overlay" }));
        var info = await env.Client.GetStoragePoolAsync(pool);
        Assert.True(info.CopyOnWrite);

        var name = env.Name("onovl");
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = name, Image = "busybox", Storage = pool }));
        var container = await env.Client.GetContainerAsync(name);
        Assert.Equal(ContainerStatus.Running, container.Status);
        Assert.NotEqual(0, container.HostRootUid);

        // Inside, root owns the image's files and can change them.
        Assert.Equal("0 0", (await env.ExecAsync(name, "stat", "-c", "%u %g", "/etc/passwd")).Stdout.Trim());
        Assert.Equal(0, (await env.ExecAsync(name, "sh", "-c", "echo extra:x:5000:5000::/:/bin/sh >> /etc/passwd && echo hi > /root/new")).ExitCode);
        Assert.Equal("hi\n", (await env.ExecAsync(name, "cat", "/root/new")).Stdout);
        Assert.Equal(name, (await env.ExecAsync(name, "hostname")).Stdout.Trim());

        // The change landed in the container's upper layer, owned by its mapped root; the pool's image is unchanged.
        var dir = Path.Combine(info.Path, "containers", name);
        var upperPasswd = new FileInfo(Path.Combine(dir, "upper", "etc", "passwd"));
        Assert.True(upperPasswd.Exists);
        Assert.Equal(container.HostRootUid.ToString(), (await Host.RunCheckedAsync("stat", "-c", "%u", upperPasswd.FullName)).Trim());
        var image = Directory.GetDirectories(Path.Combine(info.Path, "images")).Single();
        Assert.DoesNotContain("extra:", await File.ReadAllTextAsync(Path.Combine(image, "etc", "passwd")), StringComparison.Ordinal);
        Assert.Equal("0", (await Host.RunCheckedAsync("stat", "-c", "%u", Path.Combine(image, "etc", "passwd"))).Trim());

        // Snapshots and copies work on it; restart keeps the data (the mounts come back).
        await env.SucceedAsync(env.Client.CreateSnapshotAsync(name, new SnapshotCreateRequest { Name = "s1" }));
        await env.ExecAsync(name, "rm", "/root/new");
        await env.SucceedAsync(env.Client.RestoreSnapshotAsync(name, "s1", stop: true));
        Assert.Equal("hi\n", (await env.ExecAsync(name, "cat", "/root/new")).Stdout);

        var copy = env.Name("ovlcopy");
        await env.SucceedAsync(env.Client.CopyAsync(name, new CopyRequest { Target = copy }));
        await env.ChangeStateAsync(copy, "start");
        Assert.Equal("hi\n", (await env.ExecAsync(copy, "cat", "/root/new")).Stdout);

        // An overlay container exports with the owners the container sees, so it imports anywhere.
        var file = Path.Combine(env.StateDir, "ovl.tar.zst");
        await env.SucceedAsync(env.Client.ExportAsync(name, new ExportRequest { File = file }));
        var imported = env.Name("ovlimp");
        await env.SucceedAsync(env.Client.ImportAsync(new ImportRequest { File = file, Name = imported }));
        var rootfs = Path.Combine(env.LxcPath, imported, "rootfs");
        Assert.Equal("0 0", (await Host.RunCheckedAsync("stat", "-c", "%u %g", Path.Combine(rootfs, "root", "new"))).Trim());
        Assert.Contains("extra:", await File.ReadAllTextAsync(Path.Combine(rootfs, "etc", "passwd")), StringComparison.Ordinal);

        await env.SucceedAsync(env.Client.DeleteAsync(name, force: true));
        Assert.False(Directory.Exists(dir));
        Assert.NotEqual(0, (await Host.RunAsync("findmnt", Path.Combine(dir, "rootfs"))).ExitCode);
    }

    [Fact]
    public async Task OverlayPool_DiskLimit_IsRefused()
    {
        var pool = env.Name("ovlq");
        await env.SucceedAsync(env.Client.CreateStoragePoolAsync(new StoragePoolCreateRequest { Name = pool, Driver = "overlay" }));
        var error = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.LaunchAsync(new LaunchRequest
        {
            Name = env.Name("ovlq1"),
            Image = "busybox",
            Storage = pool,
            Config = new Dictionary<string, string> { ["limits.disk"] = "1GiB" },
        }));
        Assert.Equal(400, error.Status);
    }
}
