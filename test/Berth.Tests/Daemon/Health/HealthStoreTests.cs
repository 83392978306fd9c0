using Berth.Contracts;
using Berth.Daemon.Health;
using Berth.Daemon.Hosting;
using Berth.Daemon.Store;

namespace Berth.Tests.Daemon.Health;

public sealed class HealthStoreTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly Database _database;
    private readonly ContainerStore _containers;
    private readonly HealthStore _store;

    public HealthStoreTests()
    {
        _database = new Database(new StatePaths(new BerthOptions { StateDir = _dir.Path }));
        _containers = new ContainerStore(_database);
        _store = new HealthStore(_database);
    }

    public async Task InitializeAsync()
    {
        await _database.InitialiseAsync();
        Assert.True(await _containers.TryInsertAsync(new ContainerRecord
        {
            Name = "web",
            Image = "busybox",
            Status = ContainerRecordStatus.Ready,
            Privileged = false,
            Config = new Dictionary<string, string>(),
            CreatedAt = DateTimeOffset.UnixEpoch,
        }));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _dir.Dispose();

    private static HealthRecord Record(string container = "web") => new(
        container,
        "boot-1",
        ContainerHealth.Unhealthy,
        Failures: 3,
        Restarts: 2,
        Streak: 1,
        GaveUp: true,
        ExpectRunning: true,
        RunningSince: new DateTimeOffset(2026, 12, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1234567),
        RestartDue: null,
        RestartReason: "unhealthy",
        RestartJob: "job-9",
        Failure: "exit status 1: connection refused",
        FailureAt: new DateTimeOffset(2026, 12, 2, 3, 5, 0, TimeSpan.Zero));

    [Fact]
    public async Task SaveAsync_ThenList_RoundTripsEveryField()
    {
        await _store.SaveAsync(Record(), CancellationToken.None);

        Assert.Equal(Record(), (await _store.ListAsync(CancellationToken.None))["web"]);
    }

    [Fact]
    public async Task SaveAsync_Again_ReplacesTheRow()
    {
        await _store.SaveAsync(Record(), CancellationToken.None);
        var changed = Record() with { Health = null, Restarts = 0, GaveUp = false, RestartDue = DateTimeOffset.UnixEpoch, RestartJob = null, Failure = null, FailureAt = null };

        await _store.SaveAsync(changed, CancellationToken.None);

        Assert.Equal(changed, await _store.GetAsync("web", CancellationToken.None));
        Assert.Single(await _store.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Row_FollowsARename_AndGoesWithTheContainer()
    {
        await _store.SaveAsync(Record(), CancellationToken.None);

        Assert.True(await _containers.TryRenameAsync("web", "shop"));
        Assert.Null(await _store.GetAsync("web", CancellationToken.None));
        Assert.Equal(Record("shop"), await _store.GetAsync("shop", CancellationToken.None));

        await _containers.DeleteAsync("shop");
        Assert.Empty(await _store.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task DeleteAsync_RemovesTheRow()
    {
        await _store.SaveAsync(Record(), CancellationToken.None);

        await _store.DeleteAsync("web", CancellationToken.None);

        Assert.Null(await _store.GetAsync("web", CancellationToken.None));
    }
}
