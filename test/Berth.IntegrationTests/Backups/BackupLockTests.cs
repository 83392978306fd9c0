using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Backups;

/// <summary>
/// Repository locks: a killed restic's lock is gone after the next backup, while a running Berth job's lock survives
/// another target's backup on the same repository and another Berth's start-up sweep.
/// </summary>
public sealed class BackupLockTests(BerthEnvironment env) : IClassFixture<BerthEnvironment>
{
    [Fact]
    public async Task LockOfAKilledRestic_IsGoneAfterTheNextBackup()
    {
        var target = env.Name("lk");
        var repo = Path.Combine(env.StateDir, "repos", "lk");
        await env.Client.AddBackupTargetAsync(new BackupTargetCreateRequest { Name = target, Url = "local:" + repo });
        var name = env.Name("lkbk");
        await env.LaunchAsync(name, start: false);
        await Host.RunCheckedAsync("dd", "if=/dev/urandom", $"of={Path.Combine(env.LxcPath, name, "rootfs", "root", "big")}", "bs=1M", "count=400", "status=none");

        var job = await env.Client.BackupAsync(name, new BackupRunRequest { Target = target });
        var pid = await LockedResticOfAsync(job.Id, repo);
        Assert.Equal(0, (await Host.RunAsync("kill", "-9", pid)).ExitCode);
        Assert.Equal(JobStatus.Failed, (await env.WaitAsync(Task.FromResult(job))).Status);
        Assert.NotEmpty(Locks(repo));

        await env.SucceedAsync(env.Client.BackupAsync(name, new BackupRunRequest { Target = target }));
        var left = Locks(repo);
        if (left.Count > 0)
        {
            // Say whose lock stayed (restic's own view of it, and what that pid is now), so a failure can be understood.
            var password = (await env.Client.GetBackupTargetKeyAsync(target)).Password;
            var shown = await Host.RunAsync("env", "RESTIC_PASSWORD=" + password, "restic", "-r", repo, "cat", "lock", "--no-lock", left[0]);
            var pidNow = await Host.RunAsync("ps", "-o", "pid,lstart,args", "-p", pid);
            Assert.Fail($"the killed restic (pid {pid}) left lock {left[0]}, still there after the next backup: {shown.Stdout}{shown.Stderr}; that pid now: {pidNow.Stdout}");
        }

        Assert.Single(await env.Client.ListBackupsAsync(name));
    }

    [Fact]
    public async Task LockOfARunningBackup_SurvivesABackupThroughAnotherTarget_AndAnotherBerthsSweep()
    {
        var first = env.Name("lv1");
        var second = env.Name("lv2");
        var repo = Path.Combine(env.StateDir, "repos", "lv");
        await env.Client.AddBackupTargetAsync(new BackupTargetCreateRequest { Name = first, Url = "local:" + repo });
        var password = (await env.Client.GetBackupTargetKeyAsync(first)).Password;
        await env.Client.AddBackupTargetAsync(new BackupTargetCreateRequest { Name = second, Url = "local:" + repo, Password = password });
        var slow = env.Name("lvslow");
        var other = env.Name("lvother");
        await env.LaunchAsync(slow, start: false);
        await env.LaunchAsync(other, start: false);
        await Host.RunCheckedAsync("dd", "if=/dev/urandom", $"of={Path.Combine(env.LxcPath, slow, "rootfs", "root", "big")}", "bs=1M", "count=400", "status=none");

        var job = await env.Client.BackupAsync(slow, new BackupRunRequest { Target = first });
        var pid = await LockedResticOfAsync(job.Id, repo);
        // Stopped, not killed: the process lives and its lock is in use, however long the rest of the test takes.
        await Host.RunCheckedAsync("kill", "-STOP", pid);
        var other2 = new BerthEnvironment();
        try
        {
            var held = Locks(repo);
            Assert.Single(held);

            await env.SucceedAsync(env.Client.BackupAsync(other, new BackupRunRequest { Target = second }));
            Assert.Equal(held, Locks(repo));

            await other2.InitializeAsync();
            await other2.Client.AddBackupTargetAsync(new BackupTargetCreateRequest { Name = other2.Name("lv3"), Url = "local:" + repo, Password = password });
            await other2.Daemon.StopAsync();
            await other2.StartDaemonAsync();
            for (var i = 0; i < 600 && !other2.Daemon.Log.Contains("sweep of stale backup locks done", StringComparison.Ordinal); i++)
            {
                await Task.Delay(100);
            }

            Assert.Contains("sweep of stale backup locks done", other2.Daemon.Log, StringComparison.Ordinal);
            Assert.Equal(held, Locks(repo));
        }
        finally
        {
            await Host.RunAsync("kill", "-CONT", pid);
            await other2.DisposeAsync();
        }

        await env.SucceedAsync(Task.FromResult(job));
        Assert.Empty(Locks(repo));
    }

    /// <summary>Waits until job <paramref name="jobId"/>'s restic runs and its lock file is in the repository; returns its pid.</summary>
    private static async Task<string> LockedResticOfAsync(string jobId, string repo)
    {
        for (var i = 0; i < 3000; i++)
        {
            var pids = BackupFaultTests.ResticPidsOf(jobId).ToList();
            if (pids.Count == 1 && Locks(repo).Count > 0)
            {
                return pids[0];
            }

            await Task.Delay(10);
        }

        throw new InvalidOperationException("restic of job " + jobId + " never held a lock in " + repo);
    }

    private static List<string> Locks(string repo) =>
        Directory.Exists(Path.Combine(repo, "locks")) ? [.. Directory.GetFiles(Path.Combine(repo, "locks")).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)] : [];
}
