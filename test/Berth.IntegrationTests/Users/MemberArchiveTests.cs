using System.Formats.Tar;
using System.Globalization;
using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;
using Berth.IntegrationTests.Security;

namespace Berth.IntegrationTests.Users;

/// <summary>
/// Export, import and publish for members, through the API's own streams: no host path is ever named, the archive
/// checks apply to uploads, quotas count imported containers, and another member's containers and images stay unseen.
/// </summary>
public sealed class MemberArchiveTests(HttpBerthEnvironment env) : IClassFixture<HttpBerthEnvironment>
{
    private string Transfers => Path.Combine(env.StateDir, "transfers");

    private async Task<(string User, BerthClient Client)> MemberAsync(string hint)
    {
        var name = env.Name(hint);
        await env.Client.CreateUserAsync(new UserCreateRequest { Name = name, Role = "member", Password = "a-good-password-1" });
        var token = (await env.Client.CreateTokenAsync(name, new TokenCreateRequest { Name = "cli" })).Token;
        return (name, new BerthClient(env.BaseAddress, token));
    }

    private async Task<string> ContainerForAsync(string hint, string owner, bool start = true)
    {
        var network = env.NetworkName("a" + hint);
        await env.SucceedAsync(env.Client.CreateNetworkAsync(new NetworkCreateRequest { Name = network, Subnet = env.NextSubnet(), Nat = true }));
        var name = env.Name(hint);
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = name, Image = "busybox", Network = network, Owner = owner, Start = start }));
        return name;
    }

    private static async Task<byte[]> ExportAsync(BerthClient client, string container)
    {
        using var archive = new MemoryStream();
        await client.ExportToStreamAsync(container, archive);
        return archive.ToArray();
    }

    private void AssertNoTransfersLeft() =>
        Assert.Empty(Directory.Exists(Transfers) ? Directory.GetFileSystemEntries(Transfers) : []);

    [Fact]
    public async Task Member_ExportsOverHttp_AndImportsUnderANewName_TheTreeIsEqual_AndTheCopyIsTheirs()
    {
        var (user, member) = await MemberAsync("round");
        using var _ = member;
        var container = await ContainerForAsync("r1", user);
        await env.ExecAsync(container, "sh", "-c", "mkdir -p /srv/data && echo member-data > /srv/data/f && ln -s ../data/f /srv/data/up && ln /srv/data/f /srv/data/hard");

        var archive = await ExportAsync(member, container);
        Assert.True(archive.Length > 1000, $"the archive is {archive.Length} bytes");
        AssertNoTransfersLeft();

        var copy = env.Name("r1copy");
        using (var body = new MemoryStream(archive))
        {
            await env.SucceedAsync(member.ImportFromStreamAsync(body, new ImportRequest { Name = copy }));
        }

        AssertNoTransfersLeft();
        Assert.Equal(user, (await env.Client.GetContainerAsync(copy)).Owner);
        Assert.Contains(copy, (await member.ListContainersAsync()).Select(c => c.Name));
        static TreeEntry Comparable(TreeEntry e) =>
            e.Path is "etc/machine-id" or "etc/hostname" or "etc/hosts" or "etc/resolv.conf" || e.Path.StartsWith("etc/ssh/ssh_host_", StringComparison.Ordinal)
                ? new TreeEntry(e.Path, e.Type, 0, 0, 0, null, null, null, null)
                : e;
        var before = TreeWalker.Walk(Path.Combine(env.LxcPath, container, "rootfs")).Select(Comparable).ToList();
        var after = TreeWalker.Walk(Path.Combine(env.LxcPath, copy, "rootfs")).Select(Comparable).ToList();
        Assert.Equal(before.Count, after.Count);
        Assert.Empty(before.Except(after));
        Assert.Contains(after, e => e.Path == "srv/data/f");

        // No event or job of theirs names the daemon's state directory.
        var jobs = await member.ListJobsAsync();
        Assert.DoesNotContain(jobs, j => (j.Progress ?? "").Contains(env.StateDir, StringComparison.Ordinal) || (j.Error ?? "").Contains(env.StateDir, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Member_CannotExportAnotherMembersContainer_404_NothingWritten()
    {
        var (alice, aliceClient) = await MemberAsync("alice");
        var (_, bob) = await MemberAsync("bob");
        using var a = aliceClient;
        using var b = bob;
        var hers = await ContainerForAsync("hers", alice);
        var jobsBefore = (await env.Client.ListJobsAsync()).Count(j => j.Target == hers);

        var refused = await Assert.ThrowsAsync<BerthApiException>(() => ExportAsync(bob, hers));
        Assert.Equal(404, refused.Status);

        var publish = await Assert.ThrowsAsync<BerthApiException>(() => bob.PublishImageAsync(new ImagePublishRequest { Container = hers, Alias = env.Name("stolen") }));
        Assert.Equal(404, publish.Status);
        Assert.Equal(jobsBefore, (await env.Client.ListJobsAsync()).Count(j => j.Target == hers));
        AssertNoTransfersLeft();
    }

    [Theory]
    [InlineData("dotdot")]
    [InlineData("block-device")]
    [InlineData("hard-link-out")]
    [InlineData("privileged")]
    [InlineData("not-an-archive")]
    public async Task MemberUpload_OfAnUnsafeArchive_IsRefused_AndLeavesNothing(string attack)
    {
        var (user, member) = await MemberAsync("u" + attack[..3]);
        using var _ = member;
        var dir = Directory.CreateTempSubdirectory("berth-member-upload-");
        var escape = Path.Combine(Path.GetTempPath(), $"berth-{env.Prefix}-escaped-{attack}");
        File.Delete(escape);
        try
        {
            var crafted = new CraftedArchives(dir.FullName);
            var name = env.Name("u" + attack[..3] + "x");
            var manifest = CraftedArchives.Manifest(name);
            var members = CraftedArchives.Rootfs().ToList();
            switch (attack)
            {
                case "dotdot":
                    members.Add(CraftedArchives.File($"rootfs/../../../../../..{escape}", "escaped\n"));
                    break;
                case "block-device":
                    members.Add(CraftedArchives.Special(TarEntryType.BlockDevice, "rootfs/dev/sda", major: 8, minor: 0));
                    break;
                case "hard-link-out":
                    members.Add(CraftedArchives.Special(TarEntryType.HardLink, "rootfs/etc/shadow-copy", link: "/etc/shadow"));
                    break;
                case "privileged":
                    manifest["privileged"] = true;
                    break;
                default:
                    break;
            }

            var file = attack == "not-an-archive" ? await crafted.RawAsync("not a zstd stream at all"u8.ToArray()) : await crafted.ContainerAsync(manifest, members);
            await using var body = File.OpenRead(file);
            try
            {
                var job = await member.ImportFromStreamAsync(body, new ImportRequest { Name = name, Privileged = attack == "privileged" });
                var finished = await env.Client.WaitForJobAsync(job);
                Assert.Equal(JobStatus.Failed, finished.Status);
                Assert.Contains("the uploaded archive holds", finished.Error ?? "", StringComparison.Ordinal);
                Assert.DoesNotContain(env.StateDir, finished.Error ?? "", StringComparison.Ordinal);
            }
            catch (BerthApiException refused)
            {
                Assert.Equal(attack == "privileged" ? 403 : 400, refused.Status);
                Assert.DoesNotContain(env.StateDir, refused.Message, StringComparison.Ordinal);
            }

            Assert.DoesNotContain(name, (await env.Client.ListContainersAsync()).Select(c => c.Name));
            Assert.False(Directory.Exists(Path.Combine(env.LxcPath, name)));
            Assert.False(File.Exists(escape));
            AssertNoTransfersLeft();
        }
        finally
        {
            File.Delete(escape);
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task MemberImport_CountsAgainstTheContainerQuota()
    {
        var (user, member) = await MemberAsync("quota");
        using var _ = member;
        var container = await ContainerForAsync("q1", user);
        var archive = await ExportAsync(member, container);
        await env.Client.UpdateQuotaAsync(user, new QuotaUpdateRequest { Set = new Dictionary<string, string> { ["containers"] = "1" } });

        using var body = new MemoryStream(archive);
        var refused = await Assert.ThrowsAsync<BerthApiException>(() => member.ImportFromStreamAsync(body, new ImportRequest { Name = env.Name("q2") }));
        Assert.Equal(403, refused.Status);
        Assert.Equal("Quota exceeded", refused.Title);
        Assert.DoesNotContain(env.Name("q2"), (await env.Client.ListContainersAsync()).Select(c => c.Name));
        AssertNoTransfersLeft();
    }

    [Fact]
    public async Task Member_PublishesTheirContainer_IntoAnImageOnlyTheyAndAdminsSee()
    {
        var (alice, aliceClient) = await MemberAsync("pub");
        var (_, bob) = await MemberAsync("pubbob");
        using var a = aliceClient;
        using var b = bob;
        var container = await ContainerForAsync("p1", alice, start: false);
        var alias = env.Name("alices-image");

        await env.SucceedAsync(aliceClient.PublishImageAsync(new ImagePublishRequest { Container = container, Alias = alias }));

        Assert.Contains(alias, (await aliceClient.ListImagesAsync()).Select(i => i.Alias));
        Assert.Contains(alias, (await env.Client.ListImagesAsync()).Select(i => i.Alias));
        Assert.DoesNotContain(alias, (await bob.ListImagesAsync()).Select(i => i.Alias));
        Assert.Equal(404, (await Assert.ThrowsAsync<BerthApiException>(() => bob.GetImageAsync(alias))).Status);
        var launch = await Assert.ThrowsAsync<BerthApiException>(() => bob.LaunchAsync(new LaunchRequest { Name = env.Name("pb1"), Image = alias }));
        Assert.Equal(404, launch.Status);
        Assert.Equal(404, (await Assert.ThrowsAsync<BerthApiException>(() => bob.DeleteImageAsync(alias))).Status);

        // Counts a member sees are of their own containers only: root's busybox containers are not theirs.
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = env.Name("p-root"), Image = "busybox", Start = false }));
        var busybox = Assert.Single(await bob.ListImagesAsync(), i => i.Alias == "busybox");
        Assert.Equal(0, busybox.Containers);
        Assert.Equal(1, Assert.Single(await aliceClient.ListImagesAsync(), i => i.Alias == "busybox").Containers);
        Assert.True(Assert.Single(await env.Client.ListImagesAsync(), i => i.Alias == "busybox").Containers >= 2);

        // Hers to launch and to delete.
        await env.SucceedAsync(aliceClient.LaunchAsync(new LaunchRequest { Name = env.Name("p2"), Image = alias, Start = false }));
        Assert.Equal(alice, (await env.Client.GetContainerAsync(env.Name("p2"))).Owner);
    }

    [Fact]
    public async Task Cli_AsAMemberOverHttp_ExportsToALocalFile_AndImportsIt()
    {
        var (user, member) = await MemberAsync("cli");
        using var _ = member;
        var container = await ContainerForAsync("c1", user);
        var token = (await env.Client.CreateTokenAsync(user, new TokenCreateRequest { Name = "shell" })).Token;
        var environment = new Dictionary<string, string> { ["BERTH_URL"] = env.BaseAddress.ToString(), ["BERTH_TOKEN"] = token };
        var dir = Directory.CreateTempSubdirectory("berth-member-cli-");
        try
        {
            var file = Path.Combine(dir.FullName, "c1.tar.zst");
            var export = await CliRunner.RunWithEnvironmentAsync(env.StateDir, null, environment, "export", container, file);
            Assert.True(export.ExitCode == 0, export.Stderr);
            Assert.True(new FileInfo(file).Length > 1000);
            Assert.Equal("-rw-------", (await Host.RunCheckedAsync("stat", "-c", "%A", file)).Trim());

            var again = await CliRunner.RunWithEnvironmentAsync(env.StateDir, null, environment, "export", container, file);
            Assert.NotEqual(0, again.ExitCode);
            Assert.Contains("already exists", again.Stderr, StringComparison.Ordinal);

            var copy = env.Name("c1copy");
            var import = await CliRunner.RunWithEnvironmentAsync(env.StateDir, null, environment, "import", file, copy);
            Assert.True(import.ExitCode == 0, import.Stderr);
            Assert.Equal(user, (await env.Client.GetContainerAsync(copy)).Owner);
            AssertNoTransfersLeft();
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
