using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Backups;

/// <summary>backups.schedule runs backups without anyone asking, and backups.keep forgets and prunes the rest.</summary>
public sealed class BackupScheduleTests(BackupSchedulerEnvironment env) : IClassFixture<BackupSchedulerEnvironment>
{
    [Fact]
    public async Task ScheduledBackups_AppearWithoutARun_AndKeepLast2_LeavesTheTwoNewest()
    {
        var target = env.Name("sched");
        var repo = Path.Combine(env.StateDir, "repos", "sched");
        await env.Client.AddBackupTargetAsync(new BackupTargetCreateRequest { Name = target, Url = "local:" + repo });
        var name = env.Name("bksched");
        await env.LaunchAsync(name, start: false);

        // Malformed rules are refused and nothing is stored.
        foreach (var (key, value) in new[] { ("backups.schedule", "sometimes"), ("backups.keep", "last=0"), ("backups.keep", "newest=2") })
        {
            var bad = await Assert.ThrowsAsync<BerthApiException>(() =>
                env.Client.UpdateConfigAsync(name, new ConfigUpdateRequest { Set = new Dictionary<string, string> { [key] = value } }));
            Assert.Equal(400, bad.Status);
            Assert.Contains(key, bad.Message, StringComparison.Ordinal);
        }

        var config = (await env.Client.GetConfigAsync(name)).Config;
        Assert.False(config.ContainsKey("backups.schedule") && config["backups.schedule"].Length > 0);
        Assert.False(config.ContainsKey("backups.keep") && config["backups.keep"].Length > 0);

        await env.SucceedAsync(env.Client.UpdateConfigAsync(name, new ConfigUpdateRequest
        {
            Set = new Dictionary<string, string> { ["backups.schedule"] = "* * * * *", ["backups.keep"] = "last=2", ["backups.target"] = target },
        }));

        // Every minute on the minute: three scheduled runs, each pruning after itself.
        var seen = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        IReadOnlyList<JobInfo> runs = [];
        while (DateTime.UtcNow < deadline)
        {
            foreach (var backup in await env.Client.ListBackupsAsync(name))
            {
                seen.TryAdd(backup.Id, backup.Time);
            }

            runs = [.. (await env.Client.ListJobsAsync()).Where(j => j.Kind == "backup.run" && j.Target == name)];
            if (runs.Count(j => j.Status == JobStatus.Succeeded) >= 3 && runs.All(j => j.Status is JobStatus.Succeeded or JobStatus.Failed))
            {
                break;
            }

            await Task.Delay(1000);
        }

        await env.SucceedAsync(env.Client.UpdateConfigAsync(name, new ConfigUpdateRequest { Unset = ["backups.schedule"] }));
        Assert.True(runs.Count(j => j.Status == JobStatus.Succeeded) >= 3, string.Join("; ", runs.Select(j => $"{j.Status} {j.Error}")));
        Assert.DoesNotContain(runs, j => j.Status == JobStatus.Failed);
        foreach (var backup in await env.Client.ListBackupsAsync(name))
        {
            seen.TryAdd(backup.Id, backup.Time);
        }

        var left = await env.Client.ListBackupsAsync(name);
        Assert.Equal(2, left.Count);
        var newest = seen.OrderByDescending(s => s.Value).Take(2).Select(s => s.Key).Order(StringComparer.Ordinal).ToArray();
        Assert.True(seen.Count >= 3, $"saw {seen.Count} backups");
        Assert.Equal(newest, left.Select(b => b.Id).Order(StringComparer.Ordinal).ToArray());

        // restic itself holds only those two.
        var password = (await CliRunner.RunAsync(env.StateDir, "backup", "target", "key", target)).Stdout.Trim();
        var snapshots = await Host.RunAsync("env", "RESTIC_PASSWORD=" + password, "restic", "-r", repo, "snapshots", "--json", "--no-lock");
        Assert.True(snapshots.ExitCode == 0, snapshots.Stderr);
        var ids = System.Text.Json.JsonDocument.Parse(snapshots.Stdout).RootElement.EnumerateArray().Select(s => s.GetProperty("short_id").GetString()).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(newest, ids);

        // --check-schedule: the target was checked without anyone asking.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        BerthEvent? checkedEvent = null;
        await foreach (var e in env.Client.StreamEventsAsync(0, cts.Token))
        {
            if (e.Action == "backup-target.checked" && e.Target == target)
            {
                checkedEvent = e;
                break;
            }
        }

        Assert.NotNull(checkedEvent);
    }
}
