using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Security;

/// <summary>
/// A container's root plants symbolic links (from inside, with busybox ln) at the names Berth writes, pointing at
/// files and directories this test made on the host; then Berth acts on the container. The host files never change:
/// Berth writes inside the container only, or refuses with "Unsafe path in the container".
/// </summary>
public sealed class RootfsLinkTests(BerthEnvironment env) : IClassFixture<BerthEnvironment>, IDisposable
{
    private const string HostContent = "host file, not the container's\n";

    private readonly string _hostDir = Directory.CreateTempSubdirectory("berth-victim-").FullName;

    public void Dispose() => Directory.Delete(_hostDir, recursive: true);

    [Fact]
    public async Task SshKeyAdd_TemporaryNameLinkedToAHostFile_WritesOnlyInsideTheContainer()
    {
        var name = env.Name("keytmp");
        var victim = HostFile("authorized-tmp");
        await env.LaunchAsync(name);
        await PlantAsync(name, $"mkdir -p /root/.ssh && ln -s {victim} /root/.ssh/authorized_keys.berth-new");

        var key = await NewKeyAsync("tmp");
        await env.SucceedAsync(env.Client.AddSshKeyAsync(name, key));

        Assert.Equal(HostContent, await File.ReadAllTextAsync(victim));
        Assert.Equal(key.Trim(), (await env.ExecAsync(name, "cat", "/root/.ssh/authorized_keys")).Stdout.Trim());
    }

    [Theory]
    [InlineData("mkdir -p /root/.ssh && ln -s VICTIM /root/.ssh/authorized_keys", "/root/.ssh/authorized_keys")]
    [InlineData("rm -rf /root/.ssh && ln -s HOSTDIR /root/.ssh", "/root/.ssh")]
    [InlineData("mv /root /root.real && ln -s HOSTDIR /root", "/root")]
    public async Task SshKeyAdd_KeysFileOrADirectoryLinkedOut_IsRefusedAsUnsafe(string plant, string link)
    {
        var name = env.Name("keylink" + link.Length);
        var victim = HostFile("authorized-" + link.Length);
        await env.LaunchAsync(name);
        await PlantAsync(name, plant.Replace("VICTIM", victim, StringComparison.Ordinal).Replace("HOSTDIR", _hostDir, StringComparison.Ordinal));

        var job = await env.WaitAsync(env.Client.AddSshKeyAsync(name, await NewKeyAsync("refused")));

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Contains("Unsafe path in the container", job.Error, StringComparison.Ordinal);
        Assert.Contains($"{link} is a symbolic link", job.Error, StringComparison.Ordinal);
        AssertHostUntouched(victim);
    }

    [Fact]
    public async Task SshKeyAdd_WhileTheContainerSwapsItsSshDirectoryForALink_NeverWritesTheHost()
    {
        var name = env.Name("keyrace");
        var victim = HostFile("authorized-race");
        await env.LaunchAsync(name);

        // Swaps /root/.ssh between a real directory (holding the old fixed temporary name, linked out) and a link to the host directory.
        var swapper = env.ExecAsync(
            name,
            "sh",
            "-c",
            $"while [ ! -e /tmp/stop ]; do rm -rf /root/.ssh; mkdir /root/.ssh; ln -s {victim} /root/.ssh/authorized_keys.berth-new; ln -s {victim} /root/.ssh/authorized_keys; rm -rf /root/.ssh; ln -s {_hostDir} /root/.ssh; done");
        try
        {
            for (var i = 0; i < 40; i++)
            {
                var job = await env.WaitAsync(env.Client.AddSshKeyAsync(name, await NewKeyAsync($"race{i}")));
                Assert.True(job.Status == JobStatus.Succeeded || job.Error is not null);
                AssertHostUntouched(victim);
            }
        }
        finally
        {
            await env.ExecAsync(name, "touch", "/tmp/stop");
            await swapper;
        }

        AssertHostUntouched(victim);
    }

    [Fact]
    public async Task Copy_IdentityFilesLinkedToHostFiles_WritesOnlyInsideTheCopy()
    {
        var source = env.Name("idsrc");
        var copy = env.Name("idcopy");
        var hostname = HostFile("hostname");
        var hosts = HostFile("hosts");
        var machineId = HostFile("machine-id");
        await env.LaunchAsync(source);
        await PlantAsync(source, $"ln -s {hostname} /etc/hostname.berth-new && ln -s {hosts} /etc/hosts.berth-new && ln -sf {hostname} /etc/hostname && rm -f /etc/machine-id && ln -s {machineId} /etc/machine-id");

        await env.SucceedAsync(env.Client.CopyAsync(source, new CopyRequest { Target = copy }));

        foreach (var file in new[] { hostname, hosts, machineId })
        {
            AssertHostUntouched(file);
        }

        var rootfs = Path.Combine(env.LxcPath, copy, "rootfs");
        Assert.Null(new FileInfo(Path.Combine(rootfs, "etc/hostname")).LinkTarget);
        Assert.Equal(copy + "\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "etc/hostname")));
        Assert.Null(new FileInfo(Path.Combine(rootfs, "etc/machine-id")).LinkTarget);
        Assert.Matches("^[0-9a-f]{32}\n$", await File.ReadAllTextAsync(Path.Combine(rootfs, "etc/machine-id")));
    }

    [Theory]
    [InlineData("cp -a /etc /etc.real && rm -rf /etc && ln -s HOSTDIR /etc", "/etc")]
    [InlineData("mkdir -p /usr/sbin && touch /usr/sbin/sshd && rm -rf /etc/ssh && ln -s HOSTDIR /etc/ssh", "/etc/ssh")]
    public async Task Copy_ADirectoryItWritesLinkedOut_IsRefusedAndLeavesNothing(string plant, string link)
    {
        var source = env.Name("dirsrc" + link.Length);
        var copy = env.Name("dircopy" + link.Length);
        var victim = HostFile("ssh_host_ed25519_key");
        await env.LaunchAsync(source);
        await PlantAsync(source, plant.Replace("HOSTDIR", _hostDir, StringComparison.Ordinal));

        var job = await env.WaitAsync(env.Client.CopyAsync(source, new CopyRequest { Target = copy }));

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Contains("Unsafe path in the container", job.Error, StringComparison.Ordinal);
        Assert.Contains($"{link} is a symbolic link", job.Error, StringComparison.Ordinal);
        AssertHostUntouched(victim);
        Assert.DoesNotContain(await env.Client.ListContainersAsync(), c => c.Name == copy);
        Assert.False(Directory.Exists(Path.Combine(env.LxcPath, copy)));
    }

    [Fact]
    public async Task Copy_GetsAMachineIdAndSshHostKeysOfItsOwn()
    {
        var source = env.Name("twin");
        var copy = env.Name("twincopy");
        await env.LaunchAsync(source);
        await GiveIdentityAsync(source);

        await env.SucceedAsync(env.Client.CopyAsync(source, new CopyRequest { Target = copy }));
        await env.ChangeStateAsync(copy, "start");

        var (sourceId, sourceKey) = await IdentityOfAsync(source);
        var (copyId, copyKey) = await IdentityOfAsync(copy);
        Assert.Matches("^[0-9a-f]{32}$", copyId);
        Assert.NotEqual(sourceId, copyId);
        Assert.StartsWith("ssh-ed25519 ", copyKey, StringComparison.Ordinal);
        Assert.NotEqual(sourceKey, copyKey);

        // A real key pair, private half readable by the container's root only; nothing of the source's left.
        var fingerprint = await Host.RunCheckedAsync("ssh-keygen", "-lf", Path.Combine(env.LxcPath, copy, "rootfs/etc/ssh/ssh_host_ed25519_key.pub"));
        Assert.Contains("ED25519", fingerprint, StringComparison.Ordinal);
        Assert.Equal("0:0 600\n", (await env.ExecAsync(copy, "stat", "-c", "%u:%g %a", "/etc/ssh/ssh_host_ed25519_key")).Stdout);
        Assert.DoesNotContain("source", (await env.ExecAsync(copy, "cat", "/etc/ssh/ssh_host_ed25519_key")).Stdout, StringComparison.Ordinal);
        Assert.Equal("", (await env.ExecAsync(copy, "ls", "/etc/ssh/ssh_host_dsa_key")).Stdout);
    }

    [Fact]
    public async Task Import_RenewsTheIdentityUnlessAskedToKeepIt_AndNeverFollowsPlantedLinks()
    {
        var source = env.Name("expid");
        var victim = HostFile("import-hostname");
        await env.LaunchAsync(source);
        await GiveIdentityAsync(source);
        await PlantAsync(source, $"ln -s {victim} /etc/hostname.berth-new && ln -s {victim} /etc/hosts.berth-new");
        var (sourceId, sourceKey) = await IdentityOfAsync(source);
        var file = Path.Combine(env.StateDir, "expid.tar.zst");
        await env.SucceedAsync(env.Client.ExportAsync(source, new ExportRequest { File = file }));

        var fresh = env.Name("impnew");
        var restored = env.Name("impkeep");
        await env.SucceedAsync(env.Client.ImportAsync(new ImportRequest { File = file, Name = fresh }));
        await env.SucceedAsync(env.Client.ImportAsync(new ImportRequest { File = file, Name = restored, KeepIdentity = true }));
        AssertHostUntouched(victim);

        await env.ChangeStateAsync(fresh, "start");
        await env.ChangeStateAsync(restored, "start");
        var (freshId, freshKey) = await IdentityOfAsync(fresh);
        Assert.NotEqual(sourceId, freshId);
        Assert.NotEqual(sourceKey, freshKey);
        Assert.Equal((sourceId, sourceKey), await IdentityOfAsync(restored));
        Assert.Equal(restored, (await env.ExecAsync(restored, "hostname")).Stdout.Trim());
    }

    [Fact]
    public async Task OverlayPool_FilesStoredShifted_AreWrittenInsideAndOwnedByTheContainersRoot()
    {
        var pool = env.Name("ovl");
        await env.SucceedAsync(env.Client.CreateStoragePoolAsync(new StoragePoolCreateRequest { Name = pool, Driver = "overlay" }));
        var name = env.Name("ovlsrc");
        var copy = env.Name("ovlcopy");
        var victim = HostFile("overlay-authorized");
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = name, Image = "busybox", Storage = pool }));
        await GiveIdentityAsync(name);
        await PlantAsync(name, $"mkdir -p /root/.ssh && ln -s {victim} /root/.ssh/authorized_keys.berth-new && ln -s {victim} /etc/ssh/ssh_host_rsa_key");

        await env.SucceedAsync(env.Client.AddSshKeyAsync(name, await NewKeyAsync("overlay")));
        await env.SucceedAsync(env.Client.CopyAsync(name, new CopyRequest { Target = copy }));
        await env.ChangeStateAsync(copy, "start");

        AssertHostUntouched(victim);
        Assert.Equal("0:0 600\n", (await env.ExecAsync(name, "stat", "-c", "%u:%g %a", "/root/.ssh/authorized_keys")).Stdout);
        Assert.Equal("0:0 600\n", (await env.ExecAsync(copy, "stat", "-c", "%u:%g %a", "/etc/ssh/ssh_host_rsa_key")).Stdout);
        Assert.NotEqual((await IdentityOfAsync(name)).MachineId, (await IdentityOfAsync(copy)).MachineId);
    }

    /// <summary>A booted system's identity: a machine id, and an SSH server with host keys (busybox stands in for sshd).</summary>
    private async Task GiveIdentityAsync(string name) =>
        await PlantAsync(
            name,
            "echo 0123456789abcdef0123456789abcdef > /etc/machine-id && mkdir -p /etc/ssh /usr/sbin && touch /usr/sbin/sshd"
            + " && echo 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBqLeSmdRDdUNdfFUgJIvEo1zPaGqdJKCJbcSx0zQS7f source' > /etc/ssh/ssh_host_ed25519_key.pub"
            + " && echo 'source private key' > /etc/ssh/ssh_host_ed25519_key && echo 'old dsa key' > /etc/ssh/ssh_host_dsa_key");

    private async Task<(string MachineId, string HostKey)> IdentityOfAsync(string name) =>
        ((await env.ExecAsync(name, "cat", "/etc/machine-id")).Stdout.Trim(), (await env.ExecAsync(name, "cat", "/etc/ssh/ssh_host_ed25519_key.pub")).Stdout.Trim());

    private async Task PlantAsync(string name, string script)
    {
        var (code, _, stderr) = await env.ExecAsync(name, "sh", "-c", script);
        Assert.True(code == 0, $"planting failed: {stderr}");
    }

    private string HostFile(string name)
    {
        var path = Path.Combine(_hostDir, name);
        File.WriteAllText(path, HostContent);
        return path;
    }

    /// <summary>The host file keeps its content, and the host directory holds only what the test made.</summary>
    private void AssertHostUntouched(string victim)
    {
        Assert.Equal(HostContent, File.ReadAllText(victim));
        Assert.All(Directory.GetFileSystemEntries(_hostDir), entry => Assert.Equal(HostContent, File.ReadAllText(entry)));
    }

    private async Task<string> NewKeyAsync(string comment)
    {
        var dir = Directory.CreateTempSubdirectory("berth-key-").FullName;
        try
        {
            await Host.RunCheckedAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", Path.Combine(dir, "id"));
            return await File.ReadAllTextAsync(Path.Combine(dir, "id.pub"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
