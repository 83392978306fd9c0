using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Backups;

/// <summary>berth backup verify: one backup restored into a scratch directory and compared with restic's listing of it.</summary>
public sealed class BackupVerifyTests(BerthEnvironment env) : IClassFixture<BerthEnvironment>
{
    [Fact]
    public async Task Verify_PassesForAGoodBackup_AndADamagedOneFailsTheJobWithAnEventAndAMark()
    {
        var target = env.Name("vf");
        var repo = Path.Combine(env.StateDir, "repos", "vf");
        await env.Client.AddBackupTargetAsync(new BackupTargetCreateRequest { Name = target, Url = "local:" + repo });
        var name = env.Name("vfbk");
        await env.LaunchAsync(name, start: false);
        var rootfs = Path.Combine(env.LxcPath, name, "rootfs");
        // What a restore most easily gets wrong: odd modes and owners, links, an empty directory, a fifo.
        await Host.RunCheckedAsync("dd", "if=/dev/urandom", $"of={Path.Combine(rootfs, "root", "data")}", "bs=1M", "count=4", "status=none");
        await Host.RunCheckedAsync("chmod", "4710", Path.Combine(rootfs, "root", "data"));
        Directory.CreateDirectory(Path.Combine(rootfs, "srv", "empty"));
        await Host.RunCheckedAsync("chown", "1234:2345", Path.Combine(rootfs, "srv", "empty"));
        await Host.RunCheckedAsync("ln", "-s", "../root/data", Path.Combine(rootfs, "srv", "data link"));
        await Host.RunCheckedAsync("mkfifo", Path.Combine(rootfs, "srv", "pipe"));
        await env.SucceedAsync(env.Client.BackupAsync(name, new BackupRunRequest { Target = target }));

        var byName = await CliRunner.RunAsync(env.StateDir, "backup", "verify", name);
        Assert.True(byName.ExitCode == 0, byName.ToString());
        Assert.Contains("Restore test passed", byName.Stdout, StringComparison.Ordinal);
        var byTarget = await CliRunner.RunAsync(env.StateDir, "backup", "verify", "--target", target);
        Assert.True(byTarget.ExitCode == 0, byTarget.ToString());
        Assert.True((await env.Client.GetBackupTargetAsync(target)).LastCheck?.Ok);
        var passed = await env.RecentEventsAsync(e => e.Action == "container.backup-verified" && e.Target == name);
        Assert.Contains("entries match", Assert.Single(passed).Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(env.StateDir, "backups", "verify")));

        var none = await CliRunner.RunAsync(env.StateDir, "backup", "verify");
        Assert.NotEqual(0, none.ExitCode);
        Assert.Single(none.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        // Flip bytes in the middle of the largest pack: the restore reads them and must not pass.
        var pack = new DirectoryInfo(Path.Combine(repo, "data")).EnumerateFiles("*", SearchOption.AllDirectories).OrderByDescending(f => f.Length).First();
        await using (var stream = new FileStream(pack.FullName, FileMode.Open, FileAccess.ReadWrite))
        {
            stream.Position = pack.Length / 2;
            await stream.WriteAsync(Enumerable.Repeat((byte)0x5a, 64).ToArray());
        }

        var job = await env.WaitAsync(env.Client.VerifyBackupsAsync(name, new BackupVerifyRequest()));
        Assert.Equal(("backup.verify", JobStatus.Failed), (job.Kind, job.Status));
        Assert.Contains(target, job.Error, StringComparison.Ordinal);
        var failed = Assert.Single(await env.RecentEventsAsync(e => e.Action == "container.verify-failed" && e.Target == name));
        Assert.Equal(job.Id, failed.JobId);
        var mark = (await env.Client.GetContainerAsync(name)).LastBackup;
        Assert.NotNull(mark);
        Assert.Equal((false, "verify", job.Error), (mark.Ok, mark.Action, mark.Error));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(env.StateDir, "backups", "verify")));
    }
}
