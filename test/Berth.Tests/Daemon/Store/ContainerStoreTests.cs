using Berth.Daemon.Hosting;
using Berth.Daemon.Store;

namespace Berth.Tests.Daemon.Store;

public sealed class ContainerStoreTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ContainerStore _store;
    private readonly Database _database;

    public ContainerStoreTests()
    {
        _database = new Database(new StatePaths(new BerthOptions { StateDir = _dir.Path }));
        _store = new ContainerStore(_database);
    }

    public Task InitializeAsync() => _database.InitialiseAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _dir.Dispose();

    private static ContainerRecord Record(string name, string status = ContainerRecordStatus.Ready, string image = "busybox") => new()
    {
        Name = name,
        Image = image,
        Status = status,
        Privileged = true,
        Config = new Dictionary<string, string> { ["limits.memory"] = "256MiB", ["boot.autostart"] = "true" },
        CreatedAt = new DateTimeOffset(2025, 3, 4, 5, 6, 7, 890, TimeSpan.Zero),
        JobId = status == ContainerRecordStatus.Creating ? "job-1" : null,
    };

    [Fact]
    public async Task TryInsertAsync_NewName_InsertsAndRoundTrips()
    {
        var record = Record("web", ContainerRecordStatus.Creating);

        Assert.True(await _store.TryInsertAsync(record));

        var stored = await _store.GetAsync("web");
        Assert.NotNull(stored);
        Assert.Equal(record.Name, stored.Name);
        Assert.Equal(record.Image, stored.Image);
        Assert.Equal(record.Status, stored.Status);
        Assert.True(stored.Privileged);
        Assert.Equal(record.CreatedAt, stored.CreatedAt);
        Assert.Equal("job-1", stored.JobId);
        Assert.Equal(record.Config.OrderBy(kv => kv.Key), stored.Config.OrderBy(kv => kv.Key));
    }

    [Fact]
    public async Task TryInsertAsync_WithImageProfile_RoundTripsIt()
    {
        Assert.True(await _store.TryInsertAsync(Record("web") with { LxcProfile = "debian", HaltSignal = "SIGRTMIN+3" }));

        var stored = await _store.GetAsync("web");

        Assert.Equal(("debian", "SIGRTMIN+3"), (stored!.LxcProfile, stored.HaltSignal));
    }

    [Fact]
    public async Task TryRenameAsync_FreeName_RenamesTheRowAndWhatNamesIt()
    {
        Assert.True(await _store.TryInsertAsync(Record("web")));
        await using (var connection = await _database.OpenAsync())
        {
            await Dapper.SqlMapper.ExecuteAsync(connection, "INSERT INTO snapshots (container, name, created_at) VALUES ('web', 's1', '2025-01-01T00:00:00Z'); INSERT INTO container_storage (container, pool) VALUES ('web', 'fast')");
        }

        Assert.True(await _store.TryRenameAsync("web", "site"));

        Assert.Null(await _store.GetAsync("web"));
        Assert.Equal("busybox", (await _store.GetAsync("site"))!.Image);
        await using var check = await _database.OpenAsync();
        Assert.Equal(1, await Dapper.SqlMapper.ExecuteScalarAsync<long>(check, "SELECT COUNT(*) FROM snapshots WHERE container = 'site'"));
        Assert.Equal("fast", await Dapper.SqlMapper.ExecuteScalarAsync<string>(check, "SELECT pool FROM container_storage WHERE container = 'site'"));
    }

    [Fact]
    public async Task TryRenameAsync_TakenName_FalseAndNothingChanged()
    {
        Assert.True(await _store.TryInsertAsync(Record("web")));
        Assert.True(await _store.TryInsertAsync(Record("site", image: "debian/12")));

        Assert.False(await _store.TryRenameAsync("web", "site"));

        Assert.Equal("busybox", (await _store.GetAsync("web"))!.Image);
        Assert.Equal("debian/12", (await _store.GetAsync("site"))!.Image);
    }

    [Fact]
    public async Task TryInsertAsync_DuplicateName_FalseAndFirstRowKept()
    {
        Assert.True(await _store.TryInsertAsync(Record("web")));

        Assert.False(await _store.TryInsertAsync(Record("web", image: "debian/12")));

        Assert.Equal("busybox", (await _store.GetAsync("web"))!.Image);
        Assert.Single(await _store.ListAsync());
    }

    [Fact]
    public async Task GetAsync_Unknown_Null()
    {
        Assert.Null(await _store.GetAsync("nothing"));
    }

    [Fact]
    public async Task ListAsync_SeveralRows_OrderedByName()
    {
        await _store.TryInsertAsync(Record("web"));
        await _store.TryInsertAsync(Record("app"));
        await _store.TryInsertAsync(Record("db"));

        Assert.Equal(["app", "db", "web"], (await _store.ListAsync()).Select(c => c.Name));
    }

    [Fact]
    public async Task TryClaimAsync_ReadyRow_ClaimsIt()
    {
        await _store.TryInsertAsync(Record("web"));

        Assert.True(await _store.TryClaimAsync("web", ContainerRecordStatus.Deleting, "job-9"));

        var stored = await _store.GetAsync("web");
        Assert.Equal(ContainerRecordStatus.Deleting, stored!.Status);
        Assert.Equal("job-9", stored.JobId);
    }

    [Fact]
    public async Task TryClaimAsync_RowHeldByAnotherJob_FalseAndUnchanged()
    {
        await _store.TryInsertAsync(Record("web", ContainerRecordStatus.Creating));

        Assert.False(await _store.TryClaimAsync("web", ContainerRecordStatus.Deleting, "job-9"));

        var stored = await _store.GetAsync("web");
        Assert.Equal(ContainerRecordStatus.Creating, stored!.Status);
        Assert.Equal("job-1", stored.JobId);
    }

    [Fact]
    public async Task TryClaimAsync_ClaimedTwice_SecondFails()
    {
        await _store.TryInsertAsync(Record("web"));

        Assert.True(await _store.TryClaimAsync("web", ContainerRecordStatus.Deleting, "job-a"));
        Assert.False(await _store.TryClaimAsync("web", ContainerRecordStatus.Deleting, "job-b"));

        Assert.Equal("job-a", (await _store.GetAsync("web"))!.JobId);
    }

    [Fact]
    public async Task TryClaimAsync_Missing_False()
    {
        Assert.False(await _store.TryClaimAsync("ghost", ContainerRecordStatus.Deleting, "job-9"));
    }

    [Fact]
    public async Task SetStatusAsync_BackToReady_ClearsJob()
    {
        await _store.TryInsertAsync(Record("web", ContainerRecordStatus.Creating));

        await _store.SetStatusAsync("web", ContainerRecordStatus.Ready, null);

        var stored = await _store.GetAsync("web");
        Assert.Equal(ContainerRecordStatus.Ready, stored!.Status);
        Assert.Null(stored.JobId);
    }

    [Fact]
    public async Task SetConfigAsync_NewConfig_ReplacesWholeConfig()
    {
        await _store.TryInsertAsync(Record("web"));

        await _store.SetConfigAsync("web", new Dictionary<string, string> { ["limits.cpu"] = "0" });

        var config = (await _store.GetAsync("web"))!.Config;
        Assert.Equal("0", Assert.Single(config, kv => kv.Key == "limits.cpu").Value);
        Assert.Single(config);
    }

    [Fact]
    public async Task DeleteAsync_Existing_RemovesRowAndFreesName()
    {
        await _store.TryInsertAsync(Record("web"));

        await _store.DeleteAsync("web");

        Assert.Null(await _store.GetAsync("web"));
        Assert.True(await _store.TryInsertAsync(Record("web")));
    }
}
