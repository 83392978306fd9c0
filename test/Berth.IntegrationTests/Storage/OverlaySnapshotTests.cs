using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Storage;

/// <summary>Overlay snapshots hold only changes: read whole (with deletions) when published, and copies of imported containers stand alone.</summary>
public sealed class OverlaySnapshotTests(PrivateImagesBerthEnvironment env) : IClassFixture<PrivateImagesBerthEnvironment>
{
    [Fact]
    public async Task PublishOverlaySnapshot_OfRunningContainer_HasItsFilesOwnersAndDeletions()
    {
        var pool = env.Name("ovs");
        await env.SucceedAsync(env.Client.CreateStoragePoolAsync(new StoragePoolCreateRequest { Name = pool, Driver = "overlay" }));
        var poolPath = (await env.Client.GetStoragePoolAsync(pool)).Path;
        var name = env.Name("ovsrc");
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = name, Image = "busybox", Storage = pool }));
        Assert.Equal(0, (await env.ExecAsync(name, "sh", "-c", "echo v1 > /root/a && chown 1000:1001 /root/a && rm -rf /etc/udhcpc")).ExitCode);
        await env.SucceedAsync(env.Client.CreateSnapshotAsync(name, new SnapshotCreateRequest { Name = "s1" }));
        await env.ExecAsync(name, "sh", "-c", "echo v2 > /root/a");

        var alias = $"{env.Prefix}/ovsnap";
        await env.SucceedAsync(env.Client.PublishImageAsync(new ImagePublishRequest { Container = name, Snapshot = "s1", Alias = alias }));
        var launched = env.Name("fromovs");
        await env.LaunchAsync(launched, alias);
        Assert.Equal("v1\n", (await env.ExecAsync(launched, "cat", "/root/a")).Stdout);
        Assert.Equal("1000:1001\n", (await env.ExecAsync(launched, "stat", "-c", "%u:%g", "/root/a")).Stdout);
        Assert.Equal("0:0\n", (await env.ExecAsync(launched, "stat", "-c", "%u:%g", "/etc/passwd")).Stdout);
        Assert.NotEqual(0, (await env.ExecAsync(launched, "test", "-e", "/etc/udhcpc")).ExitCode);

        // The snapshot was mounted only while it was read.
        Assert.DoesNotContain(File.ReadLines("/proc/self/mountinfo"), l => l.Contains(Path.Combine(poolPath, "views"), StringComparison.Ordinal));
        Assert.Empty(Directory.GetDirectories(Path.Combine(poolPath, "views")));
        Assert.Equal("v2\n", (await env.ExecAsync(name, "cat", "/root/a")).Stdout);
    }

    [Fact]
    public async Task CopyOfImportedOverlayContainer_OutlivesTheOriginal()
    {
        var pool = env.Name("ovi");
        await env.SucceedAsync(env.Client.CreateStoragePoolAsync(new StoragePoolCreateRequest { Name = pool, Driver = "overlay" }));
        var name = env.Name("ovisrc");
        await env.LaunchAsync(name);
        await env.ExecAsync(name, "sh", "-c", "echo kept > /root/k");
        var file = Path.Combine(env.StateDir, "ovi.tar.zst");
        await env.SucceedAsync(env.Client.ExportAsync(name, new ExportRequest { File = file }));

        var imported = env.Name("oviimp");
        await env.SucceedAsync(env.Client.ImportAsync(new ImportRequest { File = file, Name = imported, Storage = pool }));
        var copy = env.Name("ovicopy");
        await env.SucceedAsync(env.Client.CopyAsync(imported, new CopyRequest { Target = copy }));
        await env.SucceedAsync(env.Client.DeleteAsync(imported, force: true));

        await env.ChangeStateAsync(copy, "start");
        Assert.Equal("kept\n", (await env.ExecAsync(copy, "cat", "/root/k")).Stdout);
    }

    [Fact]
    public async Task ExportWithSnapshots_FromOverlay_ImportsIntoOverlayAndDir_AndSnapshotsRestore()
    {
        var pool = env.Name("ovx");
        await env.SucceedAsync(env.Client.CreateStoragePoolAsync(new StoragePoolCreateRequest { Name = pool, Driver = "overlay" }));
        var name = env.Name("ovxsrc");
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = name, Image = "busybox", Storage = pool }));
        Assert.Equal(0, (await env.ExecAsync(name, "sh", "-c", "echo v1 > /root/a && chown 1000:1001 /root/a && rm -rf /etc/udhcpc")).ExitCode);
        await env.SucceedAsync(env.Client.CreateSnapshotAsync(name, new SnapshotCreateRequest { Name = "s1" }));
        await env.ExecAsync(name, "sh", "-c", "echo v2 > /root/a");
        var file = Path.Combine(env.StateDir, "ovx.tar.zst");
        await env.SucceedAsync(env.Client.ExportAsync(name, new ExportRequest { File = file, Snapshots = true }));

        foreach (var (target, storage) in new[] { (env.Name("ovxovl"), pool), (env.Name("ovxdir"), "default") })
        {
            await env.SucceedAsync(env.Client.ImportAsync(new ImportRequest { File = file, Name = target, Storage = storage }));
            await env.ChangeStateAsync(target, "start");
            Assert.Equal("v2\n", (await env.ExecAsync(target, "cat", "/root/a")).Stdout);

            await env.SucceedAsync(env.Client.RestoreSnapshotAsync(target, "s1", stop: true));
            Assert.Equal(ContainerStatus.Running, (await env.Client.GetContainerAsync(target)).Status);
            Assert.Equal("v1\n", (await env.ExecAsync(target, "cat", "/root/a")).Stdout);
            Assert.Equal("1000:1001\n", (await env.ExecAsync(target, "stat", "-c", "%u:%g", "/root/a")).Stdout);
            Assert.NotEqual(0, (await env.ExecAsync(target, "test", "-e", "/etc/udhcpc")).ExitCode);
        }

        // A copy of the imported snapshot stands on its own once the container it came from is gone.
        var copy = env.Name("ovxcopy");
        await env.SucceedAsync(env.Client.CopyAsync(env.Name("ovxovl"), new CopyRequest { Target = copy, Snapshot = "s1" }));
        await env.SucceedAsync(env.Client.DeleteAsync(env.Name("ovxovl"), force: true));
        await env.ChangeStateAsync(copy, "start");
        Assert.Equal("v1\n", (await env.ExecAsync(copy, "cat", "/root/a")).Stdout);
    }
}
