using System.Globalization;
using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Updates;

/// <summary>
/// Unattended updates of a real Debian container from a local apt repository: an upgrade is snapshotted, applied and
/// recorded; a package whose postinst fails, or that breaks the container's health check, is rolled back to the snapshot;
/// the scheduler runs due containers in their window.
/// </summary>
public sealed class UpdateDebianTests(UpdateSchedulerEnvironment env) : IClassFixture<UpdateSchedulerEnvironment>
{
    [Fact]
    public async Task Update_UpgradesFromTheLocalRepository_AndAFailingPostinstIsRolledBack()
    {
        var name = env.Name("upd");
        await env.LaunchAsync(name, "debian/12");
        var repo = new LocalAptRepository(env, name);
        await repo.InitialiseAsync();
        await repo.AddAsync(1);
        var install = await env.ExecAsync(name, "sh", "-c", "apt-get -q update && DEBIAN_FRONTEND=noninteractive apt-get -y install berth-test-pkg");
        Assert.True(install.ExitCode == 0, install.Stderr);
        Assert.Equal("1 install ok installed", await repo.InstalledAsync());

        // Version 2 is published: status asks apt what is pending; nothing has run yet.
        await repo.AddAsync(2);
        var before = await env.Client.GetUpdateStatusAsync(name, pending: true);
        Assert.True(before.Supported);
        Assert.False(before.Auto);
        Assert.Null(before.LastRun);
        var pending = Assert.Single(before.Pending!);
        Assert.Equal((LocalAptRepository.Package, "1", "2"), (pending.Package, pending.Installed, pending.Candidate));

        // berth update run: upgraded, recorded, the snapshot taken before it kept.
        var run = await env.SucceedAsync(env.Client.RunUpdateAsync(name));
        Assert.Equal("update.run", run.Kind);
        Assert.Equal("2 install ok installed", await repo.InstalledAsync());
        Assert.Equal("2\n", (await env.ExecAsync(name, "cat", "/usr/share/berth-test-pkg/version")).Stdout);
        var after = await env.Client.GetUpdateStatusAsync(name, pending: true);
        var first = after.LastRun!;
        Assert.Equal((run.Id, "succeeded"), (first.JobId, first.Result));
        Assert.StartsWith("1 upgraded, 0 newly installed", first.Summary, StringComparison.Ordinal);
        Assert.Empty(after.Pending!);
        Assert.StartsWith("update-", first.Snapshot, StringComparison.Ordinal);
        Assert.Contains(await env.Client.ListSnapshotsAsync(name), s => s.Name == first.Snapshot);
        Assert.True(File.Exists(first.LogPath), $"no log at {first.LogPath}");
        var log = await env.Client.GetUpdateLogAsync(name);
        Assert.Equal(run.Id, log.JobId);
        Assert.Contains("dist-upgrade", log.Text, StringComparison.Ordinal);
        Assert.Contains("Unpacking berth-test-pkg (2) over (1)", log.Text, StringComparison.Ordinal);
        Assert.Contains(await env.Client.ListUpdateStatusAsync(), s => s.Container == name && s.LastRun?.JobId == run.Id);

        var cli = await CliRunner.RunAsync(env.StateDir, "update", "status", name);
        Assert.True(cli.ExitCode == 0, cli.ToString());
        Assert.Contains("succeeded", cli.Stdout, StringComparison.Ordinal);
        Assert.Contains(first.Snapshot!, cli.Stdout, StringComparison.Ordinal);

        // Version 3's postinst fails: the job fails with the log, the container is the snapshot again and runs.
        await env.ExecAsync(name, "sh", "-c", "echo before-the-failed-update > /root/marker");
        await repo.AddAsync(3, failingPostinst: true);
        var failed = await env.WaitAsync(env.Client.RunUpdateAsync(name));
        Assert.Equal(JobStatus.Failed, failed.Status);
        Assert.Contains("rolled back to snapshot 'update-", failed.Error, StringComparison.Ordinal);
        Assert.Contains("this version refuses to configure", failed.Error, StringComparison.Ordinal);
        Assert.Equal(ContainerStatus.Running, (await env.Client.GetContainerAsync(name)).Status);
        Assert.Equal("2 install ok installed", await repo.InstalledAsync());
        Assert.Equal("before-the-failed-update\n", (await env.ExecAsync(name, "cat", "/root/marker")).Stdout);
        var rolledBack = (await env.Client.GetUpdateStatusAsync(name)).LastRun!;
        Assert.Equal((failed.Id, "rolled-back"), (rolledBack.JobId, rolledBack.Result));
        Assert.Null(rolledBack.Snapshot);
        var failedLog = (await env.Client.GetUpdateLogAsync(name)).Text;
        Assert.Contains("post-installation script subprocess returned error exit status 1", failedLog, StringComparison.Ordinal);
        Assert.Contains("rolled back to update-", failedLog, StringComparison.Ordinal);
        var restored = await env.RecentEventsAsync(e => e.JobId == failed.Id && e.Action == "container.snapshot-restored");
        Assert.Single(restored);

        // The snapshot of the last successful update is kept; the failed run's is gone (the container is it again).
        Assert.Equal([first.Snapshot], (await env.Client.ListSnapshotsAsync(name)).Select(s => s.Name).Where(n => n.StartsWith("update-", StringComparison.Ordinal)));

        // The CLI says the same in one line, and exits non-zero.
        var cliFailed = await CliRunner.RunAsync(env.StateDir, "update", "run", name);
        Assert.NotEqual(0, cliFailed.ExitCode);
        Assert.Contains("rolled back", cliFailed.Stderr, StringComparison.Ordinal);
        Assert.Equal("2 install ok installed", await repo.InstalledAsync());

        // A good version 4: the next successful update replaces the kept snapshot.
        await repo.RemoveAsync(3);
        await repo.AddAsync(4);
        var second = await env.SucceedAsync(env.Client.RunUpdateAsync(name));
        Assert.Equal("4 install ok installed", await repo.InstalledAsync());
        var kept = (await env.Client.GetUpdateStatusAsync(name)).LastRun!;
        Assert.Equal(second.Id, kept.JobId);
        Assert.Equal([kept.Snapshot], (await env.Client.ListSnapshotsAsync(name)).Select(s => s.Name).Where(n => n.StartsWith("update-", StringComparison.Ordinal)));

        // Version 5 installs cleanly but breaks the container's health check: the update is rolled back to version 4.
        await env.SucceedAsync(env.Client.UpdateConfigAsync(name, Set(("health.command", "test \"$(cat /usr/share/berth-test-pkg/version)\" != 5"), ("health.interval", "1s"), ("health.retries", "2"))));
        await repo.AddAsync(5);
        var unhealthy = await env.WaitAsync(env.Client.RunUpdateAsync(name));
        Assert.Equal(JobStatus.Failed, unhealthy.Status);
        Assert.Contains("health check failed", unhealthy.Error, StringComparison.Ordinal);
        Assert.Contains("rolled back to snapshot 'update-", unhealthy.Error, StringComparison.Ordinal);
        Assert.Equal("4 install ok installed", await repo.InstalledAsync());
        Assert.Equal(ContainerStatus.Running, (await env.Client.GetContainerAsync(name)).Status);
        Assert.Equal((unhealthy.Id, "rolled-back"), ((await env.Client.GetUpdateStatusAsync(name)).LastRun!.JobId, (await env.Client.GetUpdateStatusAsync(name)).LastRun!.Result));
        Assert.Contains("Unpacking berth-test-pkg (5) over (4)", (await env.Client.GetUpdateLogAsync(name)).Text, StringComparison.Ordinal);
        await env.ChangeStateAsync(name, "stop", force: true);
    }

    [Fact]
    public async Task Scheduler_RunsADueContainer_OnlyInsideItsWindow()
    {
        var name = env.Name("auto");
        await env.LaunchAsync(name, "debian/12");
        var repo = new LocalAptRepository(env, name);
        await repo.InitialiseAsync();
        await repo.AddAsync(1);
        var install = await env.ExecAsync(name, "sh", "-c", "apt-get -q update && DEBIAN_FRONTEND=noninteractive apt-get -y install berth-test-pkg");
        Assert.True(install.ExitCode == 0, install.Stderr);
        await repo.AddAsync(2);

        // A window that starts two hours from now: due, but it waits for the window's start.
        var now = DateTimeOffset.UtcNow;
        var closed = $"{Hm(now.AddHours(2))}-{Hm(now.AddHours(3))}";
        await env.SucceedAsync(env.Client.UpdateConfigAsync(name, Set(("updates.auto", "true"), ("updates.every", "15d"), ("updates.window", closed))));
        var waiting = await env.Client.GetUpdateStatusAsync(name);
        Assert.True(waiting.Auto);
        Assert.Equal(("15d", closed), (waiting.Every, waiting.Window));
        var start = now.AddHours(2);
        Assert.Equal(new DateTimeOffset(start.Year, start.Month, start.Day, start.Hour, start.Minute, 0, TimeSpan.Zero), waiting.NextDueAt);
        Assert.Null(waiting.LastRun);

        // A window around now: the scheduler runs it as an ordinary update.run job.
        await env.SucceedAsync(env.Client.UpdateConfigAsync(name, Set(("updates.window", $"{Hm(now.AddHours(-1))}-{Hm(now.AddHours(2))}"))));
        UpdateRunInfo? last = null;
        for (var i = 0; i < 600 && last?.Result is null or "running"; i++)
        {
            await Task.Delay(500);
            last = (await env.Client.GetUpdateStatusAsync(name)).LastRun;
        }

        Assert.Equal("succeeded", last?.Result);
        Assert.Equal("2 install ok installed", await repo.InstalledAsync());
        var job = Assert.Single(await env.Client.ListJobsAsync(), j => j.Kind == "update.run" && j.Target == name);
        Assert.Equal((last!.JobId, JobStatus.Succeeded), (job.Id, job.Status));

        // Due again 15 days after that run began; the scheduler does not run it again before.
        var next = (await env.Client.GetUpdateStatusAsync(name)).NextDueAt!.Value;
        Assert.True(next >= last.StartedAt.AddDays(15), $"next due {next:O}, last run {last.StartedAt:O}");
        await env.ChangeStateAsync(name, "stop", force: true);
    }

    [Fact]
    public async Task BusyboxContainer_IsNotSupported_AndRunIsRefused()
    {
        var name = env.Name("bb");
        await env.LaunchAsync(name);
        var status = await env.Client.GetUpdateStatusAsync(name, pending: true);
        Assert.False(status.Supported);
        Assert.Equal("not supported (no apt)", status.Reason);
        Assert.Null(status.Pending);
        Assert.Null(status.NextDueAt);

        var refused = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.RunUpdateAsync(name));
        Assert.Equal(409, refused.Status);
        Assert.Contains("no apt", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(await env.Client.ListJobsAsync(), j => j.Kind == "update.run" && j.Target == name);
        Assert.Empty(await env.Client.ListSnapshotsAsync(name));

        var cli = await CliRunner.RunAsync(env.StateDir, "update", "run", name);
        Assert.NotEqual(0, cli.ExitCode);
        Assert.Contains("not supported (no apt)", cli.Stderr, StringComparison.Ordinal);
        var table = await CliRunner.RunAsync(env.StateDir, "update", "status");
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("not supported (no apt)", table.Stdout.Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadUpdateKeys_AreRefused_AndChangeNothing()
    {
        var name = env.Name("keys");
        await env.LaunchAsync(name, start: false);
        foreach (var (key, value) in new[] { ("updates.auto", "maybe"), ("updates.every", "fortnight"), ("updates.every", "0d"), ("updates.window", "25:00-03:00"), ("updates.window", "02:00"), ("updates.window", "03:00-03:00") })
        {
            var error = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.UpdateConfigAsync(name, Set((key, value))));
            Assert.Equal(400, error.Status);
            Assert.Contains(key, error.Message, StringComparison.Ordinal);
        }

        Assert.DoesNotContain((await env.Client.GetConfigAsync(name)).Config.Keys, k => k.StartsWith("updates.", StringComparison.Ordinal));
        var cli = await CliRunner.RunAsync(env.StateDir, "config", "set", name, "updates.window=2am-5am");
        Assert.NotEqual(0, cli.ExitCode);
        Assert.Contains("updates.window", cli.Stderr, StringComparison.Ordinal);

        // A window across midnight is fine.
        await env.SucceedAsync(env.Client.UpdateConfigAsync(name, Set(("updates.window", "22:00-02:00"), ("updates.auto", "TRUE"))));
        var config = (await env.Client.GetConfigAsync(name)).Config;
        Assert.Equal(("22:00-02:00", "true"), (config["updates.window"], config["updates.auto"]));
    }

    private static ConfigUpdateRequest Set(params (string Key, string Value)[] pairs) =>
        new() { Set = pairs.ToDictionary(p => p.Key, p => p.Value) };

    private static string Hm(DateTimeOffset time) => time.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture);
}
