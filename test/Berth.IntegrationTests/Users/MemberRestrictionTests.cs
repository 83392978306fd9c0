using System.Globalization;
using System.Security.Cryptography;
using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Users;

/// <summary>What a member may not do with their own container: forward the host's other ports, take an SSH port outside the range, reach host paths.</summary>
public sealed class MemberRestrictionTests(HttpBerthEnvironment env) : IClassFixture<HttpBerthEnvironment>
{
    private async Task<(string User, BerthClient Client)> MemberAsync(string hint)
    {
        var name = env.Name(hint);
        await env.Client.CreateUserAsync(new UserCreateRequest { Name = name, Role = "member", Password = "a-good-password-1" });
        var token = (await env.Client.CreateTokenAsync(name, new TokenCreateRequest { Name = "cli" })).Token;
        return (name, new BerthClient(env.BaseAddress, token));
    }

    private async Task<string> ContainerForAsync(string hint, string owner)
    {
        var network = env.NetworkName("m" + hint);
        await env.SucceedAsync(env.Client.CreateNetworkAsync(new NetworkCreateRequest { Name = network, Subnet = env.NextSubnet(), Nat = true }));
        var name = env.Name(hint);
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = name, Image = "busybox", Network = network, Owner = owner }));
        return name;
    }

    [Fact]
    public async Task Forward_OutsideTheMemberRange_Is403NamingTheRange_InsideIsAccepted()
    {
        var (user, member) = await MemberAsync("fwd");
        using var _ = member;
        var container = await ContainerForAsync("f1", user);

        foreach (var ports in new[] { "8080:80/tcp", "29999-30001:29999-30001/tcp", "40000:53/udp" })
        {
            var refused = await Assert.ThrowsAsync<BerthApiException>(() => member.AddForwardAsync(container, new ForwardRequest { Ports = ports, Force = true }));
            Assert.Equal(403, refused.Status);
            Assert.Contains("30000-39999", refused.Message, StringComparison.Ordinal);
        }

        Assert.Empty(await env.Client.ListForwardsAsync(container));
        var table = await Host.RunCheckedAsync("nft", "list", "table", "inet", env.NftTable);
        Assert.DoesNotContain("dport 8080", table, StringComparison.Ordinal);

        var port = RandomNumberGenerator.GetInt32(30000, 40000);
        await env.SucceedAsync(member.AddForwardAsync(container, new ForwardRequest { Ports = $"{port.ToString(CultureInfo.InvariantCulture)}:80/tcp" }));
        Assert.Equal(port, Assert.Single(await env.Client.ListForwardsAsync(container)).HostPort);

        // An admin forwards any port.
        await env.SucceedAsync(env.Client.AddForwardAsync(container, new ForwardRequest { Ports = $"{(env.SshPorts.Last - 1).ToString(CultureInfo.InvariantCulture)}:81/tcp" }));
    }

    [Fact]
    public async Task Ssh_MembersPortComesFromTheSshRange()
    {
        var (user, member) = await MemberAsync("ssh");
        using var _ = member;
        var container = await ContainerForAsync("s1", user);

        var (ssh, job) = await member.EnableSshAsync(container);
        await env.SucceedAsync(Task.FromResult(job!));

        Assert.InRange(ssh.Port, env.SshPorts.First, env.SshPorts.Last);
        Assert.True(Assert.Single(await env.Client.ListForwardsAsync(container)).Ssh);
    }

    [Fact]
    public async Task HostPaths_ExportImport_AreRefusedToMembers_NothingWritten()
    {
        var (user, member) = await MemberAsync("paths");
        using var _ = member;
        var container = await ContainerForAsync("p1", user);
        var dir = Directory.CreateTempSubdirectory("berth-member-paths-");
        try
        {
            var target = Path.Combine(dir.FullName, "out.tar.zst");
            var attempts = new Func<Task>[]
            {
                () => member.ExportAsync(container, new ExportRequest { File = target }),
                () => member.ImportAsync(new ImportRequest { File = "/etc/shadow", Name = env.Name("p2") }),
                () => member.ExportImageAsync(new ImageExportRequest { Alias = "busybox", File = target }),
                () => member.ImportImageAsync(new ImageImportRequest { File = "/etc/shadow", Alias = "stolen" }),
            };
            foreach (var attempt in attempts)
            {
                var refused = await Assert.ThrowsAsync<BerthApiException>(attempt);
                Assert.Equal(403, refused.Status);
            }

            Assert.Empty(Directory.GetFileSystemEntries(dir.FullName));
            var names = (await env.Client.ListContainersAsync()).Select(c => c.Name).ToList();
            Assert.DoesNotContain(env.Name("p2"), names);
            Assert.DoesNotContain(await env.Client.ListImagesAsync(), i => i.Alias is "stolen" or "mine");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task PoolAndImageLists_ShowAMemberTheirOwnCountsOnly_AndNoHostPaths()
    {
        var (user, member) = await MemberAsync("counts");
        using var _ = member;
        await ContainerForAsync("k1", user);
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = env.Name("k-root"), Image = "busybox", Start = false }));

        var admins = Assert.Single(await env.Client.ListStoragePoolsAsync(), p => p.Name == "default");
        var theirs = Assert.Single(await member.ListStoragePoolsAsync(), p => p.Name == "default");
        Assert.True(admins.Containers >= 2, $"the admin sees {admins.Containers}");
        Assert.Equal(1, theirs.Containers);
        Assert.Equal("", theirs.Path);
        Assert.Equal("", (await member.GetStoragePoolAsync("default")).Path);
        Assert.NotNull(admins.DiskTotalBytes);
        Assert.Null(theirs.DiskTotalBytes);
        Assert.Null(theirs.DiskUsedBytes);
        Assert.Equal(1, Assert.Single(await member.ListImagesAsync(), i => i.Alias == "busybox").Containers);
        Assert.True(Assert.Single(await env.Client.ListImagesAsync(), i => i.Alias == "busybox").Containers >= 2);
    }
}
