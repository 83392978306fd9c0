using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Storage;

/// <summary>kill -9 of the daemon in the middle of an import into btrfs: after a restart the container is complete or absent, and nothing unpacked is left.</summary>
public sealed class ImportCrashTests(BerthEnvironment env) : IClassFixture<BerthEnvironment>
{
    [Fact]
    public async Task KillDuringImport_AfterRestart_ContainerIsCompleteOrAbsent_AndNoStagedTreesRemain()
    {
        var source = env.Name("impsrc");
        await env.LaunchAsync(source, "debian/12", start: false);
        await env.SucceedAsync(env.Client.CreateSnapshotAsync(source, new SnapshotCreateRequest { Name = "s1" }));
        var file = Path.Combine(env.StateDir, "impsrc.tar.zst");
        await env.SucceedAsync(env.Client.ExportAsync(source, new ExportRequest { File = file, Snapshots = true }));
        var poolName = env.Name("impcrash");
        await env.SucceedAsync(env.Client.CreateStoragePoolAsync(new StoragePoolCreateRequest { Name = poolName, Driver = "btrfs", Size = "2GiB" }));
        var pool = await env.Client.GetStoragePoolAsync(poolName);

        var outcomes = new List<string>();
        foreach (var delayMs in new[] { 150, 500, 1200 })
        {
            var name = env.Name($"impc{delayMs}");
            var job = await env.Client.ImportAsync(new ImportRequest { File = file, Name = name, Storage = poolName });
            await Task.Delay(delayMs);
            await env.Daemon.KillAsync();
            await env.StartDaemonAsync();

            var after = await env.Client.GetJobAsync(job.Id, waitSeconds: 60);
            Assert.True(after.Status is JobStatus.Succeeded or JobStatus.Failed, $"job still {after.Status} after restart");
            var listed = (await env.Client.ListContainersAsync()).SingleOrDefault(c => c.Name == name);
            if (after.Status == JobStatus.Succeeded)
            {
                Assert.NotNull(listed);
                Assert.Equal(["s1"], (await env.Client.ListSnapshotsAsync(name)).Select(s => s.Name));
                outcomes.Add("complete");
            }
            else
            {
                Assert.Null(listed);
                Assert.False(Directory.Exists(Path.Combine(pool.Path, "containers", name)));
                Assert.False(Directory.Exists(Path.Combine(pool.Path, "snapshots", name)));
                outcomes.Add("none");
            }

            Assert.Empty(Directory.GetDirectories(pool.Path, ".import-*"));
            var subvolumes = await Host.RunCheckedAsync("btrfs", "subvolume", "list", pool.Path);
            Assert.DoesNotContain(".import-", subvolumes, StringComparison.Ordinal);
        }

        Assert.Contains("none", outcomes);
        var retried = env.Name("impretry");
        await env.SucceedAsync(env.Client.ImportAsync(new ImportRequest { File = file, Name = retried, Storage = poolName }));
        await env.ChangeStateAsync(retried, "start");
        Assert.Equal(retried, (await env.ExecAsync(retried, "hostname")).Stdout.Trim());
    }
}
