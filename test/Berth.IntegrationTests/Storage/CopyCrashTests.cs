using Berth.Contracts;
using Berth.Daemon.Processes;
using Berth.Daemon.Storage;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Storage;

/// <summary>
/// kill -9 of the daemon while it copies a running container (snapshot, export): after a restart the container runs
/// again, the job says what recovery did, and no copy, staging directory or copying process is left.
/// </summary>
public sealed class CopyCrashTests(BerthEnvironment env) : IClassFixture<BerthEnvironment>
{
    [Fact]
    public async Task KillDuringSnapshotOfARunningContainer_AfterRestart_ItRunsAndNothingIsLeft()
    {
        var name = env.Name("snapkill");
        await LaunchWithDataAsync(name);

        var job = await env.Client.CreateSnapshotAsync(name, new SnapshotCreateRequest { Name = "half" });
        await KillWhileCopyingAsync(job.Id, name);

        var after = await env.Client.GetJobAsync(job.Id, waitSeconds: 60);
        Assert.Equal(JobStatus.Failed, after.Status);
        Assert.Contains("half-made snapshot 'half' was removed", after.Error, StringComparison.Ordinal);
        Assert.Contains("was thawed", after.Error, StringComparison.Ordinal);
        Assert.Contains("copying process", after.Error, StringComparison.Ordinal);
        await AssertRunningAndNothingLeftAsync(job.Id, name);
        Assert.False(Directory.Exists(Path.Combine(env.StateDir, "snapshots", name, "half")));
        Assert.Empty(await env.Client.ListSnapshotsAsync(name));
    }

    [Fact]
    public async Task KillDuringExportOfARunningContainer_AfterRestart_ItRunsAndNothingIsLeft()
    {
        var name = env.Name("expkill");
        await LaunchWithDataAsync(name);
        var file = Path.Combine(env.StateDir, "killed.tar.zst");

        var job = await env.Client.ExportAsync(name, new ExportRequest { File = file });
        await KillWhileCopyingAsync(job.Id, name, progress: "exporting");

        var after = await env.Client.GetJobAsync(job.Id, waitSeconds: 60);
        Assert.Equal(JobStatus.Failed, after.Status);
        Assert.Contains("copying process", after.Error, StringComparison.Ordinal);
        Assert.Contains("staging directory were removed", after.Error, StringComparison.Ordinal);
        Assert.Contains("was thawed", after.Error, StringComparison.Ordinal);
        await AssertRunningAndNothingLeftAsync(job.Id, name);
        Assert.False(File.Exists(file));
        Assert.False(File.Exists(file + ".partial") || Directory.Exists(file + ".partial"));
        Assert.False(Directory.Exists(ContainerArchive.StagingPath(job.Id)));
        Assert.Empty(Directory.GetDirectories(Path.Combine(env.StateDir, "frozen-by-job")));
    }

    /// <summary>A running busybox container on the dir pool with enough data that copying it takes a while.</summary>
    private async Task LaunchWithDataAsync(string name)
    {
        await env.LaunchAsync(name);
        var (code, _, stderr) = await env.ExecAsync(name, "dd", "if=/dev/urandom", "of=/root/big", "bs=1M", "count=1500");
        Assert.True(code == 0, stderr);
    }

    /// <summary>
    /// Kills the daemon while the job's own children copy the container it froze, and starts it again. The children
    /// are then stopped (SIGSTOP), as a copy too large to end before the restart would be: recovery must not race them.
    /// </summary>
    private async Task KillWhileCopyingAsync(string jobId, string name, string? progress = null)
    {
        IReadOnlyList<int> children;
        for (var polls = 0; ; polls++)
        {
            Assert.True(polls < 6000, "the copy did not start");
            var job = await env.Client.GetJobAsync(jobId);
            Assert.True(job.Status is JobStatus.Queued or JobStatus.Running, $"the job ended ({job.Status}: {job.Error}) before it could be interrupted");
            children = await ChildProcesses.FindJobChildrenAsync(jobId, default);
            if (job.Status == JobStatus.Running && children.Count > 0 && (progress is null || job.Progress?.StartsWith(progress, StringComparison.Ordinal) == true)
                && (await env.Client.GetContainerAsync(name)).Status == ContainerStatus.Frozen)
            {
                break;
            }

            await Task.Delay(10);
        }

        // Stopped only once the daemon is gone: a stopped process whose group is orphaned gets SIGHUP.
        await env.Daemon.KillAsync();
        foreach (var pid in children)
        {
            await Host.RunAsync("kill", "-STOP", pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.NotEmpty(await ChildProcesses.FindJobChildrenAsync(jobId, default));
        Assert.Equal("FROZEN", (await Host.RunCheckedAsync("lxc-info", "-s", "-H", "-n", name, "-P", env.LxcPath)).Trim());
        await env.StartDaemonAsync();
    }

    private async Task AssertRunningAndNothingLeftAsync(string jobId, string name)
    {
        Assert.Equal(ContainerStatus.Running, (await env.Client.GetContainerAsync(name)).Status);
        Assert.Empty(await ChildProcesses.FindJobChildrenAsync(jobId, default));
        Assert.Equal(0, (await env.ExecAsync(name, "true")).ExitCode);
    }
}
