using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Storage;

/// <summary>limits.disk on btrfs is enforced inside the container; scheduled snapshots appear and expire by themselves.</summary>
public sealed class QuotaAndScheduleTests(SchedulerBerthEnvironment env) : IClassFixture<SchedulerBerthEnvironment>
{
    [Fact]
    public async Task DiskLimit_OnBtrfs_StopsWritesPastIt_AndCanBeRaisedLive()
    {
        var pool = env.Name("quota");
        await env.SucceedAsync(env.Client.CreateStoragePoolAsync(new StoragePoolCreateRequest { Name = pool, Driver = "btrfs", Size = "1GiB" }));
        var name = env.Name("limited");
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest
        {
            Name = name,
            Image = "busybox",
            Storage = pool,
            Config = new Dictionary<string, string> { ["limits.disk"] = "20MiB" },
        }));

        var tooBig = await env.ExecAsync(name, "sh", "-c", "dd if=/dev/zero of=/root/big bs=1M count=60 && sync");
        Assert.NotEqual(0, tooBig.ExitCode);
        Assert.Contains("quota", tooBig.Stderr, StringComparison.OrdinalIgnoreCase);
        await env.ExecAsync(name, "rm", "-f", "/root/big");
        await env.ExecAsync(name, "sync");

        await env.SucceedAsync(env.Client.UpdateConfigAsync(name, new ConfigUpdateRequest { Set = new Dictionary<string, string> { ["limits.disk"] = "200MiB" } }));
        var fits = await env.ExecAsync(name, "sh", "-c", "dd if=/dev/zero of=/root/big bs=1M count=60 && sync");
        Assert.True(fits.ExitCode == 0, fits.Stderr);
        await env.ExecAsync(name, "rm", "-f", "/root/big");

        // Its archive carries the limit: importing it into a pool that cannot enforce one is refused, not silently unlimited.
        var archive = Path.Combine(env.StateDir, "limited.tar.zst");
        await env.SucceedAsync(env.Client.ExportAsync(name, new ExportRequest { File = archive }));
        var copyName = env.Name("unlimited");
        var refused = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.ImportAsync(new ImportRequest { File = archive, Name = copyName }));
        Assert.Equal(400, refused.Status);
        Assert.Contains("limits.disk", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(await env.Client.ListContainersAsync(), c => c.Name == copyName);
        Assert.False(Directory.Exists(Path.Combine(env.LxcPath, copyName)));

        // Into a btrfs pool it keeps the limit.
        await env.SucceedAsync(env.Client.ImportAsync(new ImportRequest { File = archive, Name = copyName, Storage = pool }));
        Assert.Equal("200MiB", (await env.Client.GetConfigAsync(copyName)).Config["limits.disk"]);
    }

    [Fact]
    public async Task DiskLimit_OnTheDefaultPool_IsRefusedAndChangesNothing()
    {
        var name = env.Name("noquota");
        await env.LaunchAsync(name);
        var error = await Assert.ThrowsAsync<BerthApiException>(() =>
            env.Client.UpdateConfigAsync(name, new ConfigUpdateRequest { Set = new Dictionary<string, string> { ["limits.disk"] = "1GiB" } }));
        Assert.Equal(400, error.Status);
        Assert.DoesNotContain("limits.disk", (await env.Client.GetConfigAsync(name)).Config.Keys);
    }

    [Fact]
    public async Task ScheduledSnapshots_AreTakenAndPrunedWhenExpired()
    {
        var name = env.Name("sched");
        await env.LaunchAsync(name);
        await env.SucceedAsync(env.Client.UpdateConfigAsync(name, new ConfigUpdateRequest
        {
            Set = new Dictionary<string, string> { ["snapshots.schedule"] = "* * * * *", ["snapshots.expiry"] = "1m" },
        }));
        var bad = await Assert.ThrowsAsync<BerthApiException>(() =>
            env.Client.UpdateConfigAsync(name, new ConfigUpdateRequest { Set = new Dictionary<string, string> { ["snapshots.schedule"] = "sometimes" } }));
        Assert.Equal(400, bad.Status);

        // Every minute on the minute: one appears within the next minute or so.
        var first = await PollAsync(async () => (await env.Client.ListSnapshotsAsync(name)).FirstOrDefault(s => s.Name.StartsWith("auto-", StringComparison.Ordinal)), TimeSpan.FromSeconds(150));
        Assert.NotNull(first.ExpiresAt);

        // It expires a minute after it was taken, and is pruned.
        await PollAsync(async () => (await env.Client.ListSnapshotsAsync(name)).Any(s => s.Name == first.Name) ? null : "gone", TimeSpan.FromSeconds(150));
    }

    private static async Task<T> PollAsync<T>(Func<Task<T?>> probe, TimeSpan timeout)
        where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            await Task.Delay(1000);
        }

        throw new TimeoutException($"nothing after {timeout}");
    }
}
