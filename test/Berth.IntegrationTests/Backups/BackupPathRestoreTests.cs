using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Backups;

/// <summary>One path of a backup restored into the container itself, running, without ever leaving its root.</summary>
public sealed class BackupPathRestoreTests(BerthEnvironment env) : IClassFixture<BerthEnvironment>
{
    [Fact]
    public async Task DeletedDirectory_RestoredIntoRunningDebian_MatchesEntryForEntry_MissingPathFails()
    {
        var target = env.Name("pr");
        await env.Client.AddBackupTargetAsync(new BackupTargetCreateRequest { Name = target, Url = Path.Combine(env.StateDir, "repo-pr") });
        var name = env.Name("debpr");
        await env.LaunchAsync(name, "debian/12");
        await env.ExecAsync(name, "sh", "-c",
            "cd /etc/apt && echo x > f && ln f hard && ln -s /etc/os-release absolute && chown 1234:4321 f && chmod 640 f && mkdir -m 1777 sticky");
        var rootfs = Path.Combine(env.LxcPath, name, "rootfs");
        var expected = TreeWalker.Walk(Path.Combine(rootfs, "etc/apt")).ToList();
        await env.SucceedAsync(env.Client.BackupAsync(name, new BackupRunRequest { Target = target }));
        var backup = Assert.Single(await env.Client.ListBackupsAsync(name));

        // Gone, and something else in its place that the restore replaces.
        await env.ExecAsync(name, "sh", "-c", "rm -rf /etc/apt && mkdir /etc/apt && echo stale > /etc/apt/stale");
        await env.SucceedAsync(env.Client.RestoreBackupAsync(backup.Id, new BackupRestoreRequest { Container = name, Path = "/etc/apt" }));

        var actual = TreeWalker.Walk(Path.Combine(rootfs, "etc/apt")).ToList();
        var missing = expected.Except(actual).ToList();
        var added = actual.Except(expected).ToList();
        Assert.True(missing.Count == 0 && added.Count == 0, $"entries differ after restore, e.g.\n- {string.Join("\n- ", missing.Take(10))}\n+ {string.Join("\n+ ", added.Take(10))}");
        Assert.Contains(actual, e => e.Path == "f" && e.Uid == 1234 && e.Gid == 4321 && (e.Mode & 0x1ff) == 0x1a0);
        Assert.Contains(actual, e => e.Path == "hard" && e.HardLinkGroup == "f");
        Assert.Contains(actual, e => e.Path == "absolute" && e.LinkTarget == "/etc/os-release");
        Assert.Contains("sources", (await env.ExecAsync(name, "ls", "/etc/apt")).Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(Directory.GetFileSystemEntries(rootfs), e => Path.GetFileName(e).StartsWith(".berth-restore-", StringComparison.Ordinal));

        var missingPath = await env.WaitAsync(env.Client.RestoreBackupAsync(backup.Id, new BackupRestoreRequest { Container = name, Path = "/etc/nothing-here" }));
        Assert.Equal(JobStatus.Failed, missingPath.Status);
        Assert.Contains("/etc/nothing-here", missingPath.Error, StringComparison.Ordinal);
        Assert.False(Path.Exists(Path.Combine(rootfs, "etc/nothing-here")));
        await env.ChangeStateAsync(name, "stop", force: true);
    }

    [Fact]
    public async Task ParentSwappedForLinkToSlash_RestoreStaysInsideTheContainer_HostUntouched()
    {
        var target = env.Name("ps");
        await env.Client.AddBackupTargetAsync(new BackupTargetCreateRequest { Name = target, Url = Path.Combine(env.StateDir, "repo-ps") });
        var name = env.Name("debps");
        var leaf = env.Name("leaf");
        await env.LaunchAsync(name, "debian/12");
        await env.ExecAsync(name, "sh", "-c", $"mkdir -p /srv/{leaf} && echo mine > /srv/{leaf}/file");
        await env.SucceedAsync(env.Client.BackupAsync(name, new BackupRunRequest { Target = target }));
        var backup = Assert.Single(await env.Client.ListBackupsAsync(name));

        await env.ExecAsync(name, "sh", "-c", "rm -rf /srv && ln -s / /srv");
        Assert.False(Path.Exists("/" + leaf));
        await env.SucceedAsync(env.Client.RestoreBackupAsync(backup.Id, new BackupRestoreRequest { Container = name, Path = "/srv/" + leaf }));

        Assert.False(Path.Exists("/" + leaf), "the restore wrote to the host's /");
        var rootfs = Path.Combine(env.LxcPath, name, "rootfs");
        Assert.Equal("mine\n", await File.ReadAllTextAsync(Path.Combine(rootfs, leaf, "file")));
        Assert.Equal("/", new FileInfo(Path.Combine(rootfs, "srv")).LinkTarget);
        await env.ChangeStateAsync(name, "stop", force: true);
    }
}
