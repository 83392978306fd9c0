using System.Text;
using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Backups;

/// <summary>Bad input and faults: each answers a clear problem or a failed job, stores nothing, and leaves earlier backups intact.</summary>
public sealed class BackupFaultTests(BerthEnvironment env) : IClassFixture<BerthEnvironment>
{
    [Theory]
    [InlineData("ftp://example.test/x", "URL")]
    [InlineData("local:relative/dir", "URL")]
    [InlineData("rest:http://user:secret@127.0.0.1:1/x", "URL")]
    [InlineData("s3:http://127.0.0.1:1", "URL")]
    [InlineData("--repo=/tmp/x", "URL")]
    public async Task AddTarget_BadUrl_IsRefusedAndStoresNothing(string url, string said)
    {
        var name = env.Name("badurl");
        var error = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.AddBackupTargetAsync(new BackupTargetCreateRequest { Name = name, Url = url }));
        Assert.Equal(400, error.Status);
        Assert.Contains(said, error.Title, StringComparison.Ordinal);
        Assert.Contains("local:/path", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(await env.Client.ListBackupTargetsAsync(), t => t.Name == name);
    }

    [Theory]
    [InlineData("RESTIC_PASSWORD")]
    [InlineData("RESTIC_PASSWORD_COMMAND")]
    [InlineData("aws_access_key_id")]
    [InlineData("LD_PRELOAD")]
    [InlineData("RESTIC_REPOSITORY")]
    public async Task AddTarget_BadEnvKey_IsRefusedAndStoresNothing(string key)
    {
        var name = env.Name("badenv");
        var dir = Path.Combine(env.StateDir, "badenv-repo");
        var error = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.AddBackupTargetAsync(new BackupTargetCreateRequest { Name = name, Url = "local:" + dir, Env = new Dictionary<string, string> { [key] = "x" } }));
        Assert.Equal(400, error.Status);
        Assert.Contains("env", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir));
        Assert.DoesNotContain(await env.Client.ListBackupTargetsAsync(), t => t.Name == name);
    }

    [Fact]
    public async Task Cli_BadInput_PrintsOneLineAndExitsNonZero()
    {
        var bad = await CliRunner.RunAsync(env.StateDir, "backup", "target", "add", env.Name("clibad"), "--url", "ftp://nowhere");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Single(bad.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("not a backup target URL", bad.Stderr, StringComparison.Ordinal);

        var unknown = await CliRunner.RunAsync(env.StateDir, "backup", "restore", env.Name("none"), "0123abcd");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("no backup", unknown.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownTargetOrBackup_Is404_AndNothingRuns()
    {
        var name = env.Name("unk");
        await env.LaunchAsync(name, start: false);
        var target = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.BackupAsync(name, new BackupRunRequest { Target = "no-such-target" }));
        Assert.Equal(404, target.Status);
        Assert.Contains("backup-targets", target.Message, StringComparison.Ordinal);
        foreach (var id in new[] { "0123abcd", "zz", "../../etc" })
        {
            var backup = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.RestoreBackupAsync(id, new BackupRestoreRequest { Container = name }));
            Assert.Equal(404, backup.Status);
        }

        Assert.DoesNotContain(await env.Client.ListJobsAsync(), j => j.Kind.StartsWith("backup.", StringComparison.Ordinal) && j.Target == name);
    }

    [Fact]
    public async Task SeveralTargets_NeedTargetOrTheContainersBackupsTarget()
    {
        // This class's other tests add targets too: there are at least these two.
        var first = env.Name("pick1");
        var second = env.Name("pick2");
        await env.Client.AddBackupTargetAsync(new BackupTargetCreateRequest { Name = first, Url = Path.Combine(env.StateDir, "pick1") });
        await env.Client.AddBackupTargetAsync(new BackupTargetCreateRequest { Name = second, Url = Path.Combine(env.StateDir, "pick2") });
        var name = env.Name("pick");
        await env.LaunchAsync(name, start: false);

        var none = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.BackupAsync(name, new BackupRunRequest()));
        Assert.Equal((400, "Target needed"), (none.Status, none.Title));
        var badKey = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.UpdateConfigAsync(name, new ConfigUpdateRequest { Set = new Dictionary<string, string> { ["backups.target"] = "Not A Name" } }));
        Assert.Equal(400, badKey.Status);

        await env.SucceedAsync(env.Client.UpdateConfigAsync(name, new ConfigUpdateRequest { Set = new Dictionary<string, string> { ["backups.target"] = second } }));
        await env.SucceedAsync(env.Client.BackupAsync(name, new BackupRunRequest()));
        Assert.Equal(second, Assert.Single(await env.Client.ListBackupsAsync(name)).Target);
    }

    [Fact]
    public async Task UnreachableTarget_OrWrongPassword_FailsCleanly_AndStoresNothing()
    {
        var closed = ResticRestServer.FreePort();
        var unreachable = env.Name("down");
        var down = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.AddBackupTargetAsync(new BackupTargetCreateRequest { Name = unreachable, Url = $"rest:http://127.0.0.1:{closed}/repo" }));
        Assert.Equal(502, down.Status);
        Assert.Contains(unreachable, down.Message, StringComparison.Ordinal);

        var real = env.Name("real");
        var dir = Path.Combine(env.StateDir, "shared-repo");
        await env.Client.AddBackupTargetAsync(new BackupTargetCreateRequest { Name = real, Url = dir });
        var wrong = env.Name("wrong");
        var refused = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.AddBackupTargetAsync(new BackupTargetCreateRequest { Name = wrong, Url = dir, Password = "not-the-password" }));
        Assert.Equal("Wrong repository password", refused.Title);

        var targets = await env.Client.ListBackupTargetsAsync();
        Assert.DoesNotContain(targets, t => t.Name == unreachable || t.Name == wrong);
    }

    [Fact]
    public async Task ResticKilledMidBackup_FailsTheJob_KeepsEarlierBackups_AndTheNextRunSucceeds()
    {
        var target = env.Name("kill");
        var repo = Path.Combine(env.StateDir, "kill-repo");
        await env.Client.AddBackupTargetAsync(new BackupTargetCreateRequest { Name = target, Url = repo });
        var name = env.Name("killbk");
        await env.LaunchAsync(name, start: false);
        await env.SucceedAsync(env.Client.BackupAsync(name, new BackupRunRequest { Target = target }));
        var first = Assert.Single(await env.Client.ListBackupsAsync(name));

        // Enough new data that restic is still reading when it is killed.
        await Host.RunCheckedAsync("dd", "if=/dev/urandom", $"of={Path.Combine(env.LxcPath, name, "rootfs", "root", "big")}", "bs=1M", "count=400", "status=none");
        var job = await env.Client.BackupAsync(name, new BackupRunRequest { Target = target });
        var killed = false;
        for (var i = 0; i < 1000 && !killed; i++)
        {
            foreach (var pid in ResticPidsOf(job.Id))
            {
                killed |= (await Host.RunAsync("kill", "-9", pid)).ExitCode == 0;
            }

            await Task.Delay(10);
        }

        Assert.True(killed, "restic was never seen running for the job");
        var failed = await env.WaitAsync(Task.FromResult(job));
        Assert.Equal(JobStatus.Failed, failed.Status);
        Assert.Contains("restic", failed.Error, StringComparison.Ordinal);
        Assert.Equal([first.Id], (await env.Client.ListBackupsAsync(name)).Select(b => b.Id));
        Assert.False(Directory.Exists(Path.Combine(env.StateDir, "backups", "staging", name)));

        await env.SucceedAsync(env.Client.BackupAsync(name, new BackupRunRequest { Target = target }));
        Assert.Equal(2, (await env.Client.ListBackupsAsync(name)).Count);
        var password = (await env.Client.GetBackupTargetKeyAsync(target)).Password;
        var check = await Host.RunAsync("env", "RESTIC_PASSWORD=" + password, "restic", "-r", repo, "check");
        Assert.True(check.ExitCode == 0, check.Stdout + check.Stderr);
    }

    /// <summary>
    /// restic processes running <paramref name="command"/> for job <paramref name="jobId"/> (berthd tags its children's
    /// environment with the job); not the short ones that list the repository's locks first.
    /// </summary>
    internal static IEnumerable<string> ResticPidsOf(string jobId, string command = "backup")
    {
        var tag = Encoding.UTF8.GetBytes($"BERTH_JOB={jobId}");
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            var pid = Path.GetFileName(dir);
            if (!pid.All(char.IsAsciiDigit))
            {
                continue;
            }

            byte[] environ;
            string comm;
            string[] argv;
            try
            {
                comm = File.ReadAllText(Path.Combine(dir, "comm")).Trim();
                environ = File.ReadAllBytes(Path.Combine(dir, "environ"));
                argv = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            if (comm == "restic" && environ.AsSpan().IndexOf(tag) >= 0 && argv.Contains(command))
            {
                yield return pid;
            }
        }
    }
}
