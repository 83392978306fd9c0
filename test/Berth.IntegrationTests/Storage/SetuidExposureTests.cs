using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Storage;

/// <summary>
/// Trees are stored unshifted, so a file a container makes setuid is setuid host root (or the mapped root) on disk.
/// Another host user must not reach it: not in a running container, a snapshot, a pool or an image published from it.
/// </summary>
public sealed class SetuidExposureTests(PrivateImagesBerthEnvironment env) : IClassFixture<PrivateImagesBerthEnvironment>
{
    private const string Planted = "busybox-suid";

    [Fact]
    public async Task SetuidFileInDefaultPool_ContainerSnapshotAndImage_HostUserCannotRunOrList()
    {
        var name = env.Name("suid");
        await env.LaunchAsync(name);
        await PlantAsync(name);
        var rootfs = Path.Combine(env.LxcPath, name, "rootfs");
        await AssertSetuidRootAsync(Path.Combine(rootfs, Planted), "0");
        await env.SucceedAsync(env.Client.CreateSnapshotAsync(name, new SnapshotCreateRequest { Name = "s1" }));
        var alias = $"{env.Prefix}/suid";
        await env.SucceedAsync(env.Client.PublishImageAsync(new ImagePublishRequest { Container = name, Snapshot = "s1", Alias = alias }));
        var image = Path.Combine(env.ImagesDir, (await env.Client.GetImageAsync(alias)).Fingerprint, "rootfs");

        await AssertUnreachableAsync(
            [Path.Combine(rootfs, Planted), Path.Combine(env.StateDir, "snapshots", name, "s1", Planted), Path.Combine(image, Planted)],
            [env.LxcPath, Path.Combine(env.LxcPath, name), rootfs, Path.Combine(env.StateDir, "snapshots"), env.ImagesDir]);
    }

    [Fact]
    public async Task SetuidFileInBtrfsPool_ContainerAndSnapshot_HostUserCannotRunOrList()
    {
        var pool = env.Name("sbtr");
        await env.SucceedAsync(env.Client.CreateStoragePoolAsync(new StoragePoolCreateRequest { Name = pool, Driver = "btrfs", Size = "1GiB" }));
        var path = (await env.Client.GetStoragePoolAsync(pool)).Path;
        var name = env.Name("sonbtr");
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = name, Image = "busybox", Storage = pool }));
        await PlantAsync(name);
        var rootfs = Path.Combine(path, "containers", name);
        await AssertSetuidRootAsync(Path.Combine(rootfs, Planted), "0");
        await env.SucceedAsync(env.Client.CreateSnapshotAsync(name, new SnapshotCreateRequest { Name = "s1" }));

        await AssertUnreachableAsync(
            [Path.Combine(rootfs, Planted), Path.Combine(path, "snapshots", name, "s1", Planted)],
            [Path.Combine(path, "containers"), Path.Combine(path, "snapshots"), Path.Combine(path, "images")]);
        // The loop file holds the whole filesystem; the mount keeps device nodes inert.
        Assert.Equal("600", (await Host.RunCheckedAsync("stat", "-c", "%a", (await env.Client.GetStoragePoolAsync(pool)).LoopFile!)).Trim());
        Assert.Contains("nodev", await Host.RunCheckedAsync("findmnt", "-n", "-o", "OPTIONS", path), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetuidFileInOverlayPool_MountedRootfsUpperAndSnapshot_HostUserCannotRunOrList()
    {
        var pool = env.Name("sovl");
        await env.SucceedAsync(env.Client.CreateStoragePoolAsync(new StoragePoolCreateRequest { Name = pool, Driver = "overlay" }));
        var path = (await env.Client.GetStoragePoolAsync(pool)).Path;
        var name = env.Name("sonovl");
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = name, Image = "busybox", Storage = pool }));
        await PlantAsync(name);
        var dir = Path.Combine(path, "containers", name);
        var hostRoot = (await env.Client.GetContainerAsync(name)).HostRootUid.ToString();
        await AssertSetuidRootAsync(Path.Combine(dir, "upper", Planted), hostRoot!);
        await env.SucceedAsync(env.Client.CreateSnapshotAsync(name, new SnapshotCreateRequest { Name = "s1" }));

        // It still runs: the container's root passes through the pool's containers directory by its group.
        Assert.Equal(0, (await env.ExecAsync(name, "true")).ExitCode);
        await AssertUnreachableAsync(
            [Path.Combine(dir, "rootfs", Planted), Path.Combine(dir, "upper", Planted), Path.Combine(path, "snapshots", name, "s1", "upper", Planted)],
            [Path.Combine(path, "containers"), dir, Path.Combine(path, "snapshots"), Path.Combine(path, "images")]);
    }

    /// <summary>The attack: the container's root copies busybox and makes the copy setuid.</summary>
    private async Task PlantAsync(string name)
    {
        var (code, _, stderr) = await env.ExecAsync(name, "sh", "-c", $"cp /bin/busybox /{Planted} && chmod 4755 /{Planted}");
        Assert.True(code == 0, stderr);
    }

    private static async Task AssertSetuidRootAsync(string file, string owner) =>
        Assert.Equal($"{owner} 4755", (await Host.RunCheckedAsync("stat", "-c", "%u %a", file)).Trim());

    /// <summary>As nobody (uid 65534, no groups): running each file by its full host path and listing each directory fail.</summary>
    private static async Task AssertUnreachableAsync(string[] files, string[] directories)
    {
        foreach (var file in files)
        {
            Assert.True(File.Exists(file), $"{file} should exist (as root)");
            var (code, stdout, stderr) = await AsNobodyAsync(file, "id", "-u");
            Assert.True(code != 0 && stdout.Length == 0, $"nobody ran {file}: exit {code}, {stdout}");
            Assert.Contains("Permission denied", stderr, StringComparison.Ordinal);
        }

        foreach (var directory in directories)
        {
            Assert.True(Directory.Exists(directory), $"{directory} should exist (as root)");
            var (code, stdout, stderr) = await AsNobodyAsync("ls", "-a", directory);
            Assert.True(code != 0 && stdout.Length == 0, $"nobody listed {directory}: {stdout}");
            Assert.Contains("Permission denied", stderr, StringComparison.Ordinal);
        }
    }

    // Through sh: setpriv itself keeps root's capabilities until its own exec, so it would still resolve the path.
    private static Task<(int ExitCode, string Stdout, string Stderr)> AsNobodyAsync(params string[] command) =>
        Host.RunAsync("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "--", "/bin/sh", "-c", "exec \"$@\"", "sh", .. command]);
}
