using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Security;

/// <summary>A container on a network links its resolv.conf (and the old temporary name) to a host file; copying it writes the copy's resolver inside the copy only.</summary>
public sealed class ResolverLinkTests(NetworkBerthEnvironment env) : IClassFixture<NetworkBerthEnvironment>, IDisposable
{
    private const string HostContent = "host file, not the container's\n";

    private readonly string _hostDir = Directory.CreateTempSubdirectory("berth-victim-").FullName;

    public void Dispose() => Directory.Delete(_hostDir, recursive: true);

    [Fact]
    public async Task Copy_ResolvConfLinkedToAHostFile_WritesOnlyInsideTheCopy()
    {
        var network = env.NetworkName("res");
        await env.SucceedAsync(env.Client.CreateNetworkAsync(new NetworkCreateRequest { Name = network, Subnet = env.NextSubnet() }));
        var source = env.Name("ressrc");
        var copy = env.Name("rescopy");
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = source, Image = "busybox", Network = network }));
        var victim = Path.Combine(_hostDir, "resolv.conf");
        await File.WriteAllTextAsync(victim, HostContent);
        var (code, _, stderr) = await env.ExecAsync(source, "sh", "-c", $"ln -s {victim} /etc/resolv.conf.berth-new && ln -sf {victim} /etc/resolv.conf");
        Assert.True(code == 0, stderr);

        await env.SucceedAsync(env.Client.CopyAsync(source, new CopyRequest { Target = copy }));

        Assert.Equal(HostContent, await File.ReadAllTextAsync(victim));
        Assert.Equal(["resolv.conf"], Directory.GetFileSystemEntries(_hostDir).Select(Path.GetFileName));
        var resolver = new FileInfo(Path.Combine(env.LxcPath, copy, "rootfs/etc/resolv.conf"));
        Assert.Null(resolver.LinkTarget);
        Assert.StartsWith("nameserver ", await File.ReadAllTextAsync(resolver.FullName), StringComparison.Ordinal);
    }
}
