using Berth.Daemon.Api;
using Berth.Daemon.Containers;
using Berth.Daemon.Hosting;
using Berth.Daemon.Storage;
using Berth.Daemon.Store;
using Berth.Daemon.Users;
using Dapper;
using Berth.Daemon.Errors;

namespace Berth.Tests.Daemon.Users;

public sealed class IdMapRangesTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly Database _database;
    private readonly StoragePool _pool = new() { Name = StoragePool.DefaultName, Driver = "dir", Path = "/unused", CreatedAt = DateTimeOffset.UnixEpoch };

    public IdMapRangesTests()
    {
        _database = new Database(new StatePaths(new BerthOptions { StateDir = _dir.Path }));
    }

    public async Task InitializeAsync()
    {
        await _database.InitialiseAsync();
        await using var connection = await _database.OpenAsync();
        foreach (var (name, role) in new[] { ("alice", "member"), ("bob", "member"), ("carol", "member"), ("ada", "admin") })
        {
            await connection.ExecuteAsync("INSERT INTO users (name, role, disabled, created_at) VALUES (@name, @role, 0, '2026-01-01T00:00:00Z')", new { name, role });
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _dir.Dispose();

    /// <summary>Root's range holds three blocks: the host's, and two for members.</summary>
    private IdMapRanges Ranges() => new(_database, new HostIdMap(new IdMap(1_000_000, 2_000_000, IdMap.ContainerRange), 3), TimeProvider.System);

    private async Task<long> RowsAsync()
    {
        await using var connection = await _database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM user_idmaps");
    }

    [Fact]
    public async Task EnsureFor_Members_GetTheNextBlocksInOrder_AdminsAndRootKeepTheHosts()
    {
        var ranges = Ranges();
        await ranges.EnsureForAsync("alice", false, _pool, new DirStorageDriver(), default);
        await ranges.EnsureForAsync("alice", false, _pool, new DirStorageDriver(), default);
        await ranges.EnsureForAsync("bob", false, _pool, new DirStorageDriver(), default);
        await ranges.EnsureForAsync("ada", false, _pool, new DirStorageDriver(), default);
        await ranges.EnsureForAsync(null, false, _pool, new DirStorageDriver(), default);

        Assert.Equal(new IdMap(1_065_536, 2_065_536, 65536), ranges.MapFor("alice"));
        Assert.Equal(new IdMap(1_131_072, 2_131_072, 65536), ranges.MapFor("bob"));
        Assert.Equal(new IdMap(1_000_000, 2_000_000, 65536), ranges.MapFor("ada"));
        Assert.Equal(new IdMap(1_000_000, 2_000_000, 65536), ranges.MapFor(null));
        Assert.Equal(2, await RowsAsync());
    }

    [Fact]
    public async Task EnsureFor_RootsRangeFull_RefusedWithTheRangeAndNothingRecorded()
    {
        var ranges = Ranges();
        await ranges.EnsureForAsync("alice", false, _pool, new DirStorageDriver(), default);
        await ranges.EnsureForAsync("bob", false, _pool, new DirStorageDriver(), default);

        var full = await Assert.ThrowsAsync<DomainError>(() => ranges.EnsureForAsync("carol", false, _pool, new DirStorageDriver(), default));

        Assert.Equal(ErrorKind.Conflict, full.Kind);
        Assert.Contains("3 block(s) of 65536 ids", full.Message, StringComparison.Ordinal);
        Assert.Equal(2, await RowsAsync());
        Assert.Equal(new IdMap(1_000_000, 2_000_000, 65536), ranges.MapFor("carol"));
    }

    [Fact]
    public async Task EnsureFor_DeletedMember_BlockIsFreeAgain()
    {
        var ranges = Ranges();
        await ranges.EnsureForAsync("alice", false, _pool, new DirStorageDriver(), default);
        await ranges.EnsureForAsync("bob", false, _pool, new DirStorageDriver(), default);
        await using (var connection = await _database.OpenAsync())
        {
            await connection.ExecuteAsync("DELETE FROM users WHERE name = 'alice'");
        }

        await ranges.EnsureForAsync("carol", false, _pool, new DirStorageDriver(), default);

        Assert.Equal(new IdMap(1_065_536, 2_065_536, 65536), ranges.MapFor("carol"));
    }

    [Fact]
    public void HostIdMap_Read_CountsTheBlocksBothFilesHold()
    {
        var subuid = _dir.File("subuid");
        var subgid = _dir.File("subgid");
        File.WriteAllLines(subuid, ["root:100000:262144"]);
        File.WriteAllLines(subgid, ["root:300000:196608"]);

        var host = HostIdMap.Read(subuid, subgid);

        Assert.Equal(3, host.Blocks);
        Assert.Equal(new IdMap(231072, 431072, 65536), host.Block(2));
        Assert.Null(host.Block(3));
    }

    [Fact]
    public async Task EnsureFor_ParallelForOneMember_OneBlock()
    {
        var ranges = Ranges();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => ranges.EnsureForAsync("alice", false, _pool, new DirStorageDriver(), default)));

        Assert.Equal(1, await RowsAsync());
        Assert.Equal(new IdMap(1_065_536, 2_065_536, 65536), ranges.MapFor("alice"));
    }
}
