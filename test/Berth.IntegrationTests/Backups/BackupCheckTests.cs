using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Backups;

/// <summary>berth backup check: restic check as a job in the target's turn; a damaged repository fails it and raises an event.</summary>
public sealed class BackupCheckTests(BerthEnvironment env) : IClassFixture<BerthEnvironment>
{
    [Fact]
    public async Task Check_PassesOnAHealthyRepository_AndADamagedPackFailsTheJobWithAnEvent()
    {
        var target = env.Name("chk");
        var repo = Path.Combine(env.StateDir, "repos", "chk");
        await env.Client.AddBackupTargetAsync(new BackupTargetCreateRequest { Name = target, Url = "local:" + repo });
        var name = env.Name("bkchk");
        await env.LaunchAsync(name, start: false);
        await env.SucceedAsync(env.Client.BackupAsync(name, new BackupRunRequest { Target = target }));

        var ok = await CliRunner.RunAsync(env.StateDir, "backup", "check", target, "--read-data-subset", "100%");
        Assert.True(ok.ExitCode == 0, ok.ToString());
        var bad = await CliRunner.RunAsync(env.StateDir, "backup", "check", target, "--read-data-subset", "150%");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("150%", bad.Stderr, StringComparison.Ordinal);

        // Flip bytes in the middle of the largest pack: only reading the data back finds it.
        var pack = new DirectoryInfo(Path.Combine(repo, "data")).EnumerateFiles("*", SearchOption.AllDirectories).OrderByDescending(f => f.Length).First();
        await using (var stream = new FileStream(pack.FullName, FileMode.Open, FileAccess.ReadWrite))
        {
            stream.Position = pack.Length / 2;
            await stream.WriteAsync(new byte[64].Select(_ => (byte)0x5a).ToArray());
        }

        var job = await env.WaitAsync(env.Client.CheckBackupTargetAsync(target, new BackupCheckRequest { ReadDataSubset = "100%" }));
        Assert.Equal(("backup.check", JobStatus.Failed), (job.Kind, job.Status));
        Assert.Contains(target, job.Error, StringComparison.Ordinal);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        BerthEvent? failed = null;
        await foreach (var e in env.Client.StreamEventsAsync(0, cts.Token))
        {
            if (e.Action == "backup-target.check-failed" && e.Target == target)
            {
                failed = e;
                break;
            }
        }

        Assert.NotNull(failed);
        Assert.Equal(job.Id, failed.JobId);
    }

    [Fact]
    public async Task RotatingCheck_ReadsTheNextPartEachTime_AndBadPartsAreRefused()
    {
        var target = env.Name("rot");
        await env.Client.AddBackupTargetAsync(new BackupTargetCreateRequest { Name = target, Url = "local:" + Path.Combine(env.StateDir, "repos", "rot") });
        var name = env.Name("bkrot");
        await env.LaunchAsync(name, start: false);
        await env.SucceedAsync(env.Client.BackupAsync(name, new BackupRunRequest { Target = target }));

        List<string?> parts = [];
        for (var i = 0; i < 4; i++)
        {
            var run = await CliRunner.RunAsync(env.StateDir, "backup", "check", target, "--read-data-parts", "3");
            Assert.True(run.ExitCode == 0, run.ToString());
        }

        foreach (var e in await env.RecentEventsAsync(e => e.Action == "backup-target.checked" && e.Target == target))
        {
            parts.Add(e.Message);
        }

        Assert.Equal(["1/3", "2/3", "3/3", "1/3"], parts);
        Assert.Equal(4, (await env.Client.GetBackupTargetAsync(target)).ChecksRun);

        foreach (var bad in new[] { "0", "1001" })
        {
            var refused = await CliRunner.RunAsync(env.StateDir, "backup", "check", target, "--read-data-parts", bad);
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains("readDataParts", refused.Stderr, StringComparison.Ordinal);
        }

        var both = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.CheckBackupTargetAsync(target, new BackupCheckRequest { ReadDataParts = 2, ReadDataSubset = "10%" }));
        Assert.Equal(400, both.Status);
        Assert.Equal(4, (await env.Client.GetBackupTargetAsync(target)).ChecksRun);
    }
}
