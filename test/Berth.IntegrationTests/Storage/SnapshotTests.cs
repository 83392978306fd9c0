using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Storage;

/// <summary>Snapshots on the default (dir) pool and on btrfs: create, list, restore (refused while running unless asked to stop), delete.</summary>
public sealed class SnapshotTests(BerthEnvironment env) : IClassFixture<BerthEnvironment>
{
    [Fact]
    public Task Snapshots_OnTheDefaultPool_RestoreTheFilesystem() => RoundTripAsync(env.Name("snapdir"), storage: null);

    [Fact]
    public async Task Snapshots_OnBtrfs_RestoreTheFilesystem()
    {
        var pool = env.Name("snapbtr");
        await env.SucceedAsync(env.Client.CreateStoragePoolAsync(new StoragePoolCreateRequest { Name = pool, Driver = "btrfs", Size = "1GiB" }));
        await RoundTripAsync(env.Name("snapb"), pool);
    }

    [Fact]
    public async Task Snapshot_BadOrDuplicateName_IsRefused()
    {
        var name = env.Name("snapbad");
        await env.LaunchAsync(name);
        var bad = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.CreateSnapshotAsync(name, new SnapshotCreateRequest { Name = "Not_Valid" }));
        Assert.Equal(400, bad.Status);
        var badExpiry = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.CreateSnapshotAsync(name, new SnapshotCreateRequest { Name = "ok", Expiry = "soon" }));
        Assert.Equal(400, badExpiry.Status);
        await env.SucceedAsync(env.Client.CreateSnapshotAsync(name, new SnapshotCreateRequest { Name = "first", Expiry = "7d" }));
        var duplicate = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.CreateSnapshotAsync(name, new SnapshotCreateRequest { Name = "first" }));
        Assert.Equal(409, duplicate.Status);
        var listed = Assert.Single(await env.Client.ListSnapshotsAsync(name));
        Assert.NotNull(listed.ExpiresAt);
        var missing = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.RestoreSnapshotAsync(name, "nope", stop: true));
        Assert.Equal(404, missing.Status);
    }

    private async Task RoundTripAsync(string name, string? storage)
    {
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = name, Image = "busybox", Storage = storage }));
        Assert.Equal(0, (await env.ExecAsync(name, "sh", "-c", "echo before > /root/state")).ExitCode);
        await env.SucceedAsync(env.Client.CreateSnapshotAsync(name, new SnapshotCreateRequest { Name = "one" }));
        Assert.Equal(ContainerStatus.Running, (await env.Client.GetContainerAsync(name)).Status);

        Assert.Equal(0, (await env.ExecAsync(name, "sh", "-c", "echo after > /root/state; touch /root/extra")).ExitCode);
        var refused = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.RestoreSnapshotAsync(name, "one"));
        Assert.Equal(409, refused.Status);
        Assert.Equal("after\n", (await env.ExecAsync(name, "cat", "/root/state")).Stdout);

        await env.SucceedAsync(env.Client.RestoreSnapshotAsync(name, "one", stop: true));
        Assert.Equal(ContainerStatus.Running, (await env.Client.GetContainerAsync(name)).Status);
        Assert.Equal("before\n", (await env.ExecAsync(name, "cat", "/root/state")).Stdout);
        Assert.NotEqual(0, (await env.ExecAsync(name, "test", "-e", "/root/extra")).ExitCode);

        Assert.Equal(["one"], (await env.Client.ListSnapshotsAsync(name)).Select(s => s.Name));
        await env.SucceedAsync(env.Client.DeleteSnapshotAsync(name, "one"));
        Assert.Empty(await env.Client.ListSnapshotsAsync(name));
    }
}
