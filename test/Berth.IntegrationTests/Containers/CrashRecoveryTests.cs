using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Containers;

/// <summary>kill -9 of the daemon in the middle of a launch: after a restart there is a complete container or none, and the job says which.</summary>
public sealed class CrashRecoveryTests(BerthEnvironment env) : IClassFixture<BerthEnvironment>
{
    [Fact]
    public async Task KillDuringLaunch_AfterRestart_ContainerIsCompleteOrAbsent_AndJobSaysWhich()
    {
        // Kill at different points of the launch (before, during and after its steps).
        var outcomes = new List<string>();
        // The last round (-1) kills right after the launch finished, so one outcome is "complete" however loaded the host is.
        foreach (var delayMs in new[] { 0, 40, 120, 250, 400, 800, -1 })
        {
            var name = env.Name($"crash{(delayMs < 0 ? "done" : delayMs.ToString(System.Globalization.CultureInfo.InvariantCulture))}");
            var job = await env.Client.LaunchAsync(new LaunchRequest { Name = name, Image = "busybox" });
            if (delayMs < 0)
            {
                await env.Client.GetJobAsync(job.Id, waitSeconds: 60);
            }
            else
            {
                await Task.Delay(delayMs);
            }

            await env.Daemon.KillAsync();
            await env.StartDaemonAsync();

            var after = await env.Client.GetJobAsync(job.Id, waitSeconds: 30);
            Assert.True(after.Status is JobStatus.Succeeded or JobStatus.Failed, $"job still {after.Status} after restart");
            var listed = (await env.Client.ListContainersAsync()).SingleOrDefault(c => c.Name == name);
            var dir = Path.Combine(env.LxcPath, name);

            if (after.Status == JobStatus.Succeeded)
            {
                Assert.NotNull(listed);
                Assert.True(listed.Managed);
                Assert.Equal(ContainerStatus.Running, listed.Status);
                Assert.True(File.Exists(Path.Combine(dir, "config")));
                Assert.True(File.Exists(Path.Combine(dir, "rootfs/bin/busybox")));
                outcomes.Add("complete");
            }
            else
            {
                Assert.Null(listed);
                Assert.False(Directory.Exists(dir), $"{dir} was left behind by a failed launch");
                Assert.Contains("restart", after.Error, StringComparison.Ordinal);
                outcomes.Add("none");
            }
        }

        Assert.Contains("complete", outcomes);
    }
}
