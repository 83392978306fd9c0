using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Backups;

/// <summary>A failed backup or check stays marked in the API, berth list/info and /metrics until the next success clears it.</summary>
public sealed class BackupMarkTests(BerthEnvironment env) : IClassFixture<BerthEnvironment>
{
    [Fact]
    public async Task FailedBackup_IsMarkedInApiCliAndMetrics_AndTheNextGoodBackupClearsIt()
    {
        var target = env.Name("mk");
        var repo = Path.Combine(env.StateDir, "repos", "mk");
        await env.Client.AddBackupTargetAsync(new BackupTargetCreateRequest { Name = target, Url = "local:" + repo });
        var name = env.Name("mkbk");
        await env.LaunchAsync(name, start: false);
        Assert.Null((await env.Client.GetContainerAsync(name)).LastBackup);

        await env.SucceedAsync(env.Client.BackupAsync(name, new BackupRunRequest { Target = target }));
        var good = (await env.Client.GetContainerAsync(name)).LastBackup;
        Assert.NotNull(good);
        Assert.True(good.Ok);
        Assert.Equal(("backup", target), (good.Action, good.Target));
        Assert.NotNull(good.LastSuccess);

        // The repository moved away: the target is there, restic cannot open it.
        Directory.Move(repo, repo + ".away");
        JobInfo failed;
        try
        {
            failed = await env.WaitAsync(env.Client.BackupAsync(name, new BackupRunRequest { Target = target }));
        }
        finally
        {
            Directory.Move(repo + ".away", repo);
        }

        Assert.Equal(JobStatus.Failed, failed.Status);
        var mark = (await env.Client.GetContainerAsync(name)).LastBackup;
        Assert.NotNull(mark);
        Assert.False(mark.Ok);
        Assert.Equal(("backup", target, failed.Error), (mark.Action, mark.Target, mark.Error));
        Assert.Equal(good.LastSuccess, mark.LastSuccess);
        Assert.Equal(mark, Assert.Single(await env.Client.ListContainersAsync(), c => c.Name == name).LastBackup);
        var raised = Assert.Single(await env.RecentEventsAsync(e => e.Action == "container.backup-failed" && e.Target == name));
        Assert.Equal(failed.Id, raised.JobId);

        var list = await CliRunner.RunAsync(env.StateDir, "list");
        Assert.Contains(list.Stdout.Split('\n'), l => l.StartsWith(name + " ", StringComparison.Ordinal) && l.Contains("[backup failed]", StringComparison.Ordinal));
        var info = await CliRunner.RunAsync(env.StateDir, "info", name);
        Assert.Contains(info.Stdout.Split('\n'), l => l.StartsWith("Backup:", StringComparison.Ordinal) && l.Contains("failed", StringComparison.Ordinal) && l.Contains(target, StringComparison.Ordinal));
        await MetricsShowAsync($"berth_backup_failing{{container=\"{name}\"}} 1");

        await env.SucceedAsync(env.Client.BackupAsync(name, new BackupRunRequest { Target = target }));
        var cleared = (await env.Client.GetContainerAsync(name)).LastBackup;
        Assert.NotNull(cleared);
        Assert.True(cleared.Ok);
        Assert.Null(cleared.Error);
        Assert.True(cleared.LastSuccess > good.LastSuccess);
        list = await CliRunner.RunAsync(env.StateDir, "list");
        Assert.Contains(list.Stdout.Split('\n'), l => l.StartsWith(name + " ", StringComparison.Ordinal) && !l.Contains("backup failed", StringComparison.Ordinal));
        await MetricsShowAsync($"berth_backup_failing{{container=\"{name}\"}} 0");
        await MetricsShowAsync($"berth_backup_last_success_timestamp_seconds{{container=\"{name}\"}} ");
    }

    [Fact]
    public async Task FailedCheck_MarksTheTarget_AndTheNextGoodCheckClearsIt()
    {
        var target = env.Name("mkc");
        var repo = Path.Combine(env.StateDir, "repos", "mkc");
        await env.Client.AddBackupTargetAsync(new BackupTargetCreateRequest { Name = target, Url = "local:" + repo });
        Directory.Move(repo, repo + ".away");
        JobInfo failed;
        try
        {
            failed = await env.WaitAsync(env.Client.CheckBackupTargetAsync(target, new BackupCheckRequest()));
        }
        finally
        {
            Directory.Move(repo + ".away", repo);
        }

        Assert.Equal(JobStatus.Failed, failed.Status);
        var mark = (await env.Client.GetBackupTargetAsync(target)).LastCheck;
        Assert.NotNull(mark);
        Assert.Equal((false, "check", failed.Error), (mark.Ok, mark.Action, mark.Error));
        await MetricsShowAsync($"berth_backup_target_check_ok{{target=\"{target}\"}} 0");

        await env.SucceedAsync(env.Client.CheckBackupTargetAsync(target, new BackupCheckRequest()));
        Assert.True((await env.Client.GetBackupTargetAsync(target)).LastCheck?.Ok);
        await MetricsShowAsync($"berth_backup_target_check_ok{{target=\"{target}\"}} 1");
    }

    /// <summary>/metrics keeps a reading a few seconds: asks until a line starts with <paramref name="series"/>.</summary>
    private async Task MetricsShowAsync(string series)
    {
        var text = "";
        for (var i = 0; i < 60; i++)
        {
            text = await env.Client.GetPrometheusMetricsAsync();
            if (text.Split('\n').Any(l => l.StartsWith(series, StringComparison.Ordinal)))
            {
                return;
            }

            await Task.Delay(500);
        }

        Assert.Fail($"/metrics has no line starting with {series}:\n{text}");
    }
}
