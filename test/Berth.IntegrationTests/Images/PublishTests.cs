using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Images;

/// <summary>A container or one of its snapshots becomes an image that new containers are launched from.</summary>
public sealed class PublishTests(PrivateImagesBerthEnvironment env) : IClassFixture<PrivateImagesBerthEnvironment>
{
    [Fact]
    public async Task Publish_SnapshotOfRunningAndStoppedContainer_NewContainersHaveTheirFiles()
    {
        var name = env.Name("pub");
        await env.LaunchAsync(name);
        await env.ExecAsync(name, "sh", "-c", "echo v1 > /root/marker && chown 1000:1001 /root/marker && chmod 640 /root/marker");
        await env.SucceedAsync(env.Client.CreateSnapshotAsync(name, new SnapshotCreateRequest { Name = "s1" }));
        await env.ExecAsync(name, "sh", "-c", "echo v2 > /root/marker");

        // The container itself only when stopped; a snapshot while it runs.
        var running = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.PublishImageAsync(new ImagePublishRequest { Container = name, Alias = $"{env.Prefix}/live" }));
        Assert.Equal(409, running.Status);
        Assert.Contains("stop", running.Message, StringComparison.Ordinal);

        var fromSnapshot = $"{env.Prefix}/snap";
        await env.SucceedAsync(env.Client.PublishImageAsync(new ImagePublishRequest { Container = name, Snapshot = "s1", Alias = fromSnapshot }));
        var image = await env.Client.GetImageAsync(fromSnapshot);
        Assert.True(image.Cached);
        Assert.Equal("published", image.Origin);
        Assert.Equal("busybox", image.Base);
        Assert.Contains("snapshot s1", image.Source, StringComparison.Ordinal);
        Assert.True(image.SizeBytes > 1_000_000);

        var fromSnap = env.Name("fromsnap");
        await env.LaunchAsync(fromSnap, fromSnapshot);
        Assert.Equal("v1\n", (await env.ExecAsync(fromSnap, "cat", "/root/marker")).Stdout);
        Assert.Equal("1000:1001 640\n", (await env.ExecAsync(fromSnap, "stat", "-c", "%u:%g %a", "/root/marker")).Stdout);
        Assert.Equal(fromSnap, (await env.ExecAsync(fromSnap, "hostname")).Stdout.Trim());
        Assert.Equal(1, (await env.Client.GetImageAsync(fromSnapshot)).Containers);

        // The image keeps what its base needs to run: busybox init halts on SIGUSR1, so a clean stop works.
        Assert.Contains("lxc.signal.halt = SIGUSR1", await File.ReadAllTextAsync(Path.Combine(env.LxcPath, fromSnap, "config")), StringComparison.Ordinal);
        await env.ChangeStateAsync(fromSnap, "stop", timeout: 30);

        await env.ChangeStateAsync(name, "stop", force: true);
        var live = $"{env.Prefix}/live";
        await env.SucceedAsync(env.Client.PublishImageAsync(new ImagePublishRequest { Container = name, Alias = live }));
        var fromLive = env.Name("fromlive");
        await env.LaunchAsync(fromLive, live);
        Assert.Equal("v2\n", (await env.ExecAsync(fromLive, "cat", "/root/marker")).Stdout);

        // Each image has its own cache entry; machine identity is left out of it.
        var liveImage = await env.Client.GetImageAsync(live);
        Assert.NotEqual(image.Fingerprint, liveImage.Fingerprint);
        var machineId = new FileInfo(Path.Combine(env.ImagesDir, liveImage.Fingerprint, "rootfs", "etc", "machine-id"));
        Assert.True(machineId.Exists);
        Assert.Equal(0, machineId.Length);

        var used = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.DeleteImageAsync(live));
        Assert.Equal(409, used.Status);
        await env.SucceedAsync(env.Client.DeleteAsync(fromLive, force: true));
        await env.SucceedAsync(env.Client.DeleteImageAsync(live));
        Assert.False(Directory.Exists(Path.Combine(env.ImagesDir, liveImage.Fingerprint)));
        Assert.True((await env.Client.GetImageAsync(fromSnapshot)).Cached);
    }

    [Fact]
    public async Task Publish_BadInput_IsRefusedAndMakesNoImage()
    {
        var name = env.Name("pubbad");
        await env.LaunchAsync(name, start: false);
        var taken = $"{env.Prefix}/taken";
        await env.SucceedAsync(env.Client.PublishImageAsync(new ImagePublishRequest { Container = name, Alias = taken }));
        var before = Directory.GetDirectories(env.ImagesDir).Length;

        async Task RefusedAsync(ImagePublishRequest request, int status)
        {
            var error = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.PublishImageAsync(request));
            Assert.Equal(status, error.Status);
        }

        await RefusedAsync(new ImagePublishRequest { Container = name, Alias = taken }, 409);
        await RefusedAsync(new ImagePublishRequest { Container = name, Alias = "busybox" }, 409);
        await RefusedAsync(new ImagePublishRequest { Container = name, Alias = "Bad Alias" }, 400);
        await RefusedAsync(new ImagePublishRequest { Container = name, Alias = $"{env.Prefix}/x", Snapshot = "nope" }, 404);
        await RefusedAsync(new ImagePublishRequest { Container = env.Name("nosuch"), Alias = $"{env.Prefix}/y" }, 404);

        Assert.Equal(before, Directory.GetDirectories(env.ImagesDir).Length);
        Assert.DoesNotContain(await env.Client.ListImagesAsync(), i => i.Alias is "Bad Alias" || i.Alias == $"{env.Prefix}/x" || i.Alias == $"{env.Prefix}/y");
    }

    [Fact]
    public async Task DeleteImage_ItsCopiesInPoolsGoOnceNothingStandsOnThem()
    {
        var name = env.Name("pubgc");
        await env.LaunchAsync(name);
        await env.ExecAsync(name, "sh", "-c", "echo gc > /root/gc");
        await env.ChangeStateAsync(name, "stop", force: true);
        var alias = $"{env.Prefix}/gc";
        await env.SucceedAsync(env.Client.PublishImageAsync(new ImagePublishRequest { Container = name, Alias = alias }));
        var fingerprint = (await env.Client.GetImageAsync(alias)).Fingerprint;

        var btrfs = env.Name("gcb");
        var overlay = env.Name("gco");
        await env.SucceedAsync(env.Client.CreateStoragePoolAsync(new StoragePoolCreateRequest { Name = btrfs, Driver = "btrfs", Size = "256MiB" }));
        await env.SucceedAsync(env.Client.CreateStoragePoolAsync(new StoragePoolCreateRequest { Name = overlay, Driver = "overlay" }));
        var onBtrfs = env.Name("gcbc");
        var onOverlay = env.Name("gcoc");
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = onBtrfs, Image = alias, Storage = btrfs, Start = false }));
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = onOverlay, Image = alias, Storage = overlay, Start = false }));
        var btrfsCopy = Path.Combine((await env.Client.GetStoragePoolAsync(btrfs)).Path, "images", fingerprint);
        var overlayCopy = Path.Combine((await env.Client.GetStoragePoolAsync(overlay)).Path, "images", fingerprint);
        Assert.True(Directory.Exists(btrfsCopy));
        Assert.True(Directory.Exists(overlayCopy));

        // btrfs containers are snapshots standing on their own; overlay ones stand on the copy until they go.
        await env.SucceedAsync(env.Client.DeleteImageAsync(alias, force: true));
        Assert.False(Directory.Exists(btrfsCopy));
        Assert.True(Directory.Exists(overlayCopy));
        await env.ChangeStateAsync(onOverlay, "start");
        Assert.Equal("gc\n", (await env.ExecAsync(onOverlay, "cat", "/root/gc")).Stdout);

        await env.SucceedAsync(env.Client.DeleteAsync(onOverlay, force: true));
        Assert.False(Directory.Exists(overlayCopy));
        await env.ChangeStateAsync(onBtrfs, "start");
        Assert.Equal("gc\n", (await env.ExecAsync(onBtrfs, "cat", "/root/gc")).Stdout);
    }
}
