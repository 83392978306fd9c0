using System.Formats.Tar;
using System.Net;
using System.Text;
using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Files;

/// <summary>Members use the files of their own containers only; device nodes in an archive are for admins.</summary>
public sealed class FileMemberTests(HttpBerthEnvironment env) : IClassFixture<HttpBerthEnvironment>
{
    private const string Password = "files-password-1";

    [Fact]
    public async Task AMember_ReachesOnlyTheirOwnContainersFiles_AndMayNotCreateDeviceNodes()
    {
        var alice = env.Name("falice");
        var bob = env.Name("fbob");
        await env.Client.CreateUserAsync(new UserCreateRequest { Name = alice, Role = "member", Password = Password });
        await env.Client.CreateUserAsync(new UserCreateRequest { Name = bob, Role = "member", Password = Password });
        var aliceToken = (await env.Client.CreateTokenAsync(alice, new TokenCreateRequest { Name = "t" })).Token;
        var bobToken = (await env.Client.CreateTokenAsync(bob, new TokenCreateRequest { Name = "t" })).Token;
        var network = env.NetworkName("fmem");
        await env.SucceedAsync(env.Client.CreateNetworkAsync(new NetworkCreateRequest { Name = network, Subnet = env.NextSubnet() }));
        var container = env.Name("fmine");
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = container, Image = "busybox", Owner = alice, Network = network }));

        using var asAlice = new BerthClient(env.BaseAddress, aliceToken);
        await asAlice.WriteFileAsync(container, "/root/note", new MemoryStream(Encoding.UTF8.GetBytes("alice's\n")));

        using var asBob = new BerthClient(env.BaseAddress, bobToken);
        foreach (var call in new Func<Task>[]
        {
            () => asBob.OpenFileAsync(container, "/root/note"),
            () => asBob.StatFileAsync(container, "/root/note"),
            () => asBob.ListFilesAsync(container, "/root"),
            () => asBob.WriteFileAsync(container, "/root/note", new MemoryStream(Encoding.UTF8.GetBytes("bob's\n"))),
            () => asBob.ExtractTreeAsync(container, "/root", new MemoryStream(new byte[1024])),
            () => asBob.DeleteFileAsync(container, "/root/note"),
        })
        {
            var refused = await Assert.ThrowsAsync<BerthApiException>(call);
            Assert.Equal((int)HttpStatusCode.NotFound, refused.Status);
        }

        Assert.Equal("alice's", (await env.ExecAsync(container, "cat", "/root/note")).Stdout.Trim());

        var devices = Archive(new PaxTarEntry(TarEntryType.CharacterDevice, "mem") { DeviceMajor = 1, DeviceMinor = 1, Mode = (UnixFileMode)0b110_110_110 });
        var forbidden = await Assert.ThrowsAsync<BerthApiException>(() => asAlice.ExtractTreeAsync(container, "/root", devices));
        Assert.Equal((403, "Device nodes refused"), (forbidden.Status, forbidden.Title));
        Assert.NotEqual(0, (await env.ExecAsync(container, "test", "-e", "/root/mem")).ExitCode);

        // A FIFO is no device: members may make one.
        await asAlice.ExtractTreeAsync(container, "/root", Archive(new PaxTarEntry(TarEntryType.Fifo, "pipe") { Mode = (UnixFileMode)0b110_100_100 }));
        Assert.Equal("fifo", (await asAlice.StatFileAsync(container, "/root/pipe")).Type);
    }

    private static MemoryStream Archive(PaxTarEntry entry)
    {
        var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(entry);
        }

        stream.Position = 0;
        return stream;
    }
}
