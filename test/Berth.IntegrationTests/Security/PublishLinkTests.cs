using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Security;

/// <summary>Publishing a container whose machine id files are links to host files: the image gets an empty id of its own, the host files stay.</summary>
public sealed class PublishLinkTests(PrivateImagesBerthEnvironment env) : IClassFixture<PrivateImagesBerthEnvironment>, IDisposable
{
    private const string HostContent = "host file, not the container's\n";

    private readonly string _hostDir = Directory.CreateTempSubdirectory("berth-victim-").FullName;

    public void Dispose() => Directory.Delete(_hostDir, recursive: true);

    [Fact]
    public async Task Publish_MachineIdFilesLinkedToHostFiles_EmptiesTheImagesOwnAndLeavesTheHostAlone()
    {
        var name = env.Name("publink");
        var machineId = Path.Combine(_hostDir, "machine-id");
        var dbusId = Path.Combine(_hostDir, "dbus-machine-id");
        await File.WriteAllTextAsync(machineId, HostContent);
        await File.WriteAllTextAsync(dbusId, HostContent);
        await env.LaunchAsync(name);
        var (code, _, stderr) = await env.ExecAsync(name, "sh", "-c", $"rm -f /etc/machine-id && ln -s {machineId} /etc/machine-id && mkdir -p /var/lib/dbus && ln -s {dbusId} /var/lib/dbus/machine-id && ln -s {machineId} /etc/machine-id.berth-new");
        Assert.True(code == 0, stderr);
        await env.ChangeStateAsync(name, "stop", force: true);

        var alias = $"{env.Prefix}/linked";
        await env.SucceedAsync(env.Client.PublishImageAsync(new ImagePublishRequest { Container = name, Alias = alias }));

        Assert.Equal(HostContent, await File.ReadAllTextAsync(machineId));
        Assert.Equal(HostContent, await File.ReadAllTextAsync(dbusId));
        var rootfs = Path.Combine(env.ImagesDir, (await env.Client.GetImageAsync(alias)).Fingerprint, "rootfs");
        var imageId = new FileInfo(Path.Combine(rootfs, "etc/machine-id"));
        Assert.Null(imageId.LinkTarget);
        Assert.Equal(0, imageId.Length);
    }
}
