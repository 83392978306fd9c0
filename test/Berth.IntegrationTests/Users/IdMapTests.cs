using System.Globalization;
using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Users;

/// <summary>Members' containers run with host ids of their own: real containers, their init processes' ids as the kernel shows them.</summary>
public sealed class IdMapTests(BerthEnvironment env) : IClassFixture<BerthEnvironment>
{
    private async Task<string> UserAsync(string hint, string role = "member")
    {
        var name = env.Name(hint);
        await env.Client.CreateUserAsync(new UserCreateRequest { Name = name, Role = role, Password = "a-good-password-1" });
        return name;
    }

    private async Task<string> LaunchForAsync(string hint, string? owner)
    {
        var name = env.Name(hint);
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = name, Image = "busybox", Owner = owner }));
        return name;
    }

    /// <summary>The real, effective, saved and filesystem uid and gid of the container's init, from /proc/PID/status.</summary>
    private async Task<(long[] Uids, long[] Gids, long HostRootUid)> HostIdsAsync(string container)
    {
        var info = await env.Client.GetContainerAsync(container);
        Assert.Equal(ContainerStatus.Running, info.Status);
        var status = await File.ReadAllLinesAsync($"/proc/{info.InitPid!.Value.ToString(CultureInfo.InvariantCulture)}/status");
        long[] Ids(string key) => [.. status.Single(l => l.StartsWith(key + ":", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(v => long.Parse(v, CultureInfo.InvariantCulture))];
        return (Ids("Uid"), Ids("Gid"), info.HostRootUid!.Value);
    }

    private async Task<string> OwnersInsideAsync(string container)
    {
        var (code, stdout, stderr) = await env.ExecAsync(container, "stat", "-c", "%u:%g", "/", "/etc/passwd", "/bin/busybox");
        Assert.True(code == 0, stderr);
        return stdout.Trim().ReplaceLineEndings(" ");
    }

    [Fact]
    public async Task TwoMembers_RunWithDisjointHostIds_FilesStillRootsInside()
    {
        var alice = await UserAsync("alice");
        var bob = await UserAsync("bob");
        var admin = await UserAsync("adm", "admin");
        var a1 = await LaunchForAsync("a1", alice);
        var a2 = await LaunchForAsync("a2", alice);
        var b1 = await LaunchForAsync("b1", bob);
        var r1 = await LaunchForAsync("r1", null);
        var d1 = await LaunchForAsync("d1", admin);

        var ofAlice = await HostIdsAsync(a1);
        var ofBob = await HostIdsAsync(b1);
        var ofRoot = await HostIdsAsync(r1);

        // Each member has one block of 65536 host ids for all of their containers; root's and admins' keep the host's first block.
        Assert.Equal(ofAlice.HostRootUid, (await HostIdsAsync(a2)).HostRootUid);
        Assert.Equal(ofRoot.HostRootUid, (await HostIdsAsync(d1)).HostRootUid);
        var blocks = new[] { ofAlice.HostRootUid, ofBob.HostRootUid, ofRoot.HostRootUid };
        Assert.Equal(3, blocks.Distinct().Count());
        foreach (var first in blocks)
        {
            foreach (var second in blocks.Where(b => b != first))
            {
                Assert.True(first + 65536 <= second || second + 65536 <= first, $"host id blocks from {first} and {second} overlap");
            }
        }

        // Init runs as the block's first id, as the kernel sees it (real, effective, saved, filesystem; uid and gid).
        Assert.All(ofAlice.Uids, u => Assert.Equal(ofAlice.HostRootUid, u));
        Assert.All(ofBob.Uids, u => Assert.Equal(ofBob.HostRootUid, u));
        Assert.All(ofAlice.Gids.Concat(ofBob.Gids), g => Assert.NotEqual(0, g));
        Assert.Empty(ofAlice.Gids.Intersect(ofBob.Gids));
        Assert.Empty(ofAlice.Uids.Intersect(ofRoot.Uids));

        // Inside, the tree is still root's.
        Assert.Equal("0:0 0:0 0:0", await OwnersInsideAsync(a1));
        Assert.Equal("0:0 0:0 0:0", await OwnersInsideAsync(b1));
        Assert.Contains($"u 0 {ofAlice.HostRootUid.ToString(CultureInfo.InvariantCulture)} 65536", (await env.Client.GetConfigAsync(a1)).LxcConfig, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transfer_StoppedContainerMovesToTheNewOwnersIds_RunningIsRefused()
    {
        var carol = await UserAsync("carol");
        var dave = await UserAsync("dave");
        var container = await LaunchForAsync("c1", carol);
        Assert.Equal(0, (await env.ExecAsync(container, "sh", "-c", "echo kept > /root/note && chown 0:0 /root/note")).ExitCode);
        var before = await HostIdsAsync(container);

        var running = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.UpdateConfigAsync(container, new ConfigUpdateRequest { Set = new Dictionary<string, string> { ["owner"] = dave } }));
        Assert.Equal(409, running.Status);
        Assert.Contains("stop it", running.Message, StringComparison.Ordinal);
        Assert.Equal(carol, (await env.Client.GetContainerAsync(container)).Owner);

        await env.ChangeStateAsync(container, "stop", force: true);
        await env.SucceedAsync(env.Client.UpdateConfigAsync(container, new ConfigUpdateRequest { Set = new Dictionary<string, string> { ["owner"] = dave } }));
        await env.ChangeStateAsync(container, "start");
        var after = await HostIdsAsync(container);

        Assert.Equal(dave, (await env.Client.GetContainerAsync(container)).Owner);
        Assert.NotEqual(before.HostRootUid, after.HostRootUid);
        Assert.All(after.Uids, u => Assert.Equal(after.HostRootUid, u));
        Assert.Equal("0:0 0:0 0:0", await OwnersInsideAsync(container));
        var (code, note, _) = await env.ExecAsync(container, "sh", "-c", "stat -c %u:%g /root/note && cat /root/note && echo more >> /root/note");
        Assert.Equal(0, code);
        Assert.Equal("0:0\nkept", note.Trim());

        // Back to root: the host's block again.
        await env.ChangeStateAsync(container, "stop", force: true);
        await env.SucceedAsync(env.Client.UpdateConfigAsync(container, new ConfigUpdateRequest { Set = new Dictionary<string, string> { ["owner"] = "root" } }));
        await env.ChangeStateAsync(container, "start");
        var root = await HostIdsAsync(await LaunchForAsync("c2", null));
        Assert.Equal(root.HostRootUid, (await HostIdsAsync(container)).HostRootUid);
    }

    [Fact]
    public async Task MemberOnAnOverlayPool_Is409SayingWhichPoolsToUse_NothingCreated()
    {
        var member = await UserAsync("ovl");
        var pool = env.Name("ovlpool");
        await env.SucceedAsync(env.Client.CreateStoragePoolAsync(new StoragePoolCreateRequest { Name = pool, Driver = "overlay" }));
        var name = env.Name("ovl1");

        var refused = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.LaunchAsync(new LaunchRequest { Name = name, Image = "busybox", Owner = member, Storage = pool }));

        Assert.Equal(409, refused.Status);
        Assert.Contains("dir or btrfs pool", refused.Message, StringComparison.Ordinal);
        Assert.Contains("storage", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(name, (await env.Client.ListContainersAsync()).Select(c => c.Name));
    }
}
