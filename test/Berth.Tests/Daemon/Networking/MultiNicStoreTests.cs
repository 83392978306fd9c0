using System.Net;
using Berth.Daemon.Hosting;
using Berth.Daemon.Networking;
using Berth.Daemon.Store;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Berth.Tests.Daemon.Networking;

public sealed class MultiNicStoreTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly Database _database;
    private readonly ContainerStore _containers;
    private readonly NetworkStore _networks;

    public MultiNicStoreTests()
    {
        _database = new Database(new StatePaths(new BerthOptions { StateDir = _dir.Path }));
        _containers = new ContainerStore(_database);
        _networks = new NetworkStore(_database);
    }

    public Task InitializeAsync() => _database.InitialiseAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _dir.Dispose();

    private static NetworkRecord Network(string name, string subnet) =>
        new() { Name = name, Subnet = subnet, Status = NetworkStatus.Ready, CreatedAt = DateTimeOffset.UnixEpoch };

    private static ContainerRecord Container(string name) => new()
    {
        Name = name,
        Image = "busybox",
        Status = ContainerRecordStatus.Ready,
        Privileged = false,
        Config = new Dictionary<string, string>(),
        CreatedAt = DateTimeOffset.UnixEpoch,
    };

    private async Task<(NetworkRecord Pub, NetworkRecord Priv)> TwoNetworksAsync()
    {
        var pub = Network("pub", "10.71.1.0/24");
        var priv = Network("priv", "10.71.2.0/24");
        Assert.True(await _networks.TryInsertAsync(pub));
        Assert.True(await _networks.TryInsertAsync(priv));
        return (pub, priv);
    }

    [Fact]
    public async Task Migration401_DatabaseWithALease_KeepsItAsInterfaceZero()
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _dir.File("old.db") }.ToString());
        await connection.OpenAsync();
        await Migrator.MigrateAsync(connection, migrations: [.. Migrations.All.Where(m => m.Version < 401)]);
        await connection.ExecuteAsync("INSERT INTO containers (name, image, status, privileged, config, created_at) VALUES ('web', 'busybox', 'ready', 0, '{}', '2025-01-01T00:00:00Z')");
        await connection.ExecuteAsync("INSERT INTO leases (network, address, address6, container, hwaddr) VALUES ('pub', '10.71.1.2', NULL, 'web', '00:16:3e:00:00:01')");

        await Migrator.MigrateAsync(connection);

        var rows = (await connection.QueryAsync<(string Network, string Address, string Container, long Nic)>("SELECT network, address, container, nic FROM leases")).ToList();
        Assert.Equal([("pub", "10.71.1.2", "web", 0L)], rows);
        // Now a second network for the same container is allowed, but not the same network twice or the same interface twice.
        await connection.ExecuteAsync("INSERT INTO leases (network, address, container, hwaddr, nic) VALUES ('priv', '10.71.2.2', 'web', '00:16:3e:00:00:02', 1)");
        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync("INSERT INTO leases (network, address, container, hwaddr, nic) VALUES ('pub', '10.71.1.3', 'web', '00:16:3e:00:00:03', 2)"));
        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync("INSERT INTO leases (network, address, container, hwaddr, nic) VALUES ('other', '10.71.3.2', 'web', '00:16:3e:00:00:04', 1)"));
    }

    [Fact]
    public async Task GetAndList_TwoLeases_OneRecordWithBothInterfacesInOrder()
    {
        var (pub, priv) = await TwoNetworksAsync();
        Assert.True(await _containers.TryInsertAsync(Container("web")));
        Assert.NotNull(await _networks.TryLeaseAsync(priv, "web", IPAddress.Parse("10.71.2.9"), 1));
        Assert.NotNull(await _networks.TryLeaseAsync(pub, "web", null, 0));

        var record = await _containers.GetAsync("web");
        var listed = Assert.Single(await _containers.ListAsync());

        Assert.NotNull(record);
        Assert.Equal([("pub", "10.71.1.2", 0), ("priv", "10.71.2.9", 1)], record.Nics.Select(n => (n.Network.Name, n.Address, n.Index)));
        Assert.Equal("pub", record.Nic?.Network.Name);
        Assert.Equal(record.Nics.Select(n => n.Address), listed.Nics.Select(n => n.Address));
        Assert.NotEqual(record.Nics[0].HardwareAddress, record.Nics[1].HardwareAddress);
        Assert.Equal("10.71.1.2", (await _networks.GetLeaseAsync("web"))?.Address);
    }

    [Fact]
    public async Task RenameAndDelete_TwoLeases_MoveAndFreeBoth()
    {
        var (pub, priv) = await TwoNetworksAsync();
        Assert.True(await _containers.TryInsertAsync(Container("web")));
        Assert.NotNull(await _networks.TryLeaseAsync(pub, "web", null, 0));
        Assert.NotNull(await _networks.TryLeaseAsync(priv, "web", null, 1));

        Assert.True(await _containers.TryRenameAsync("web", "site"));
        Assert.Equal(2, (await _containers.GetAsync("site"))?.Nics.Count);
        await _containers.DeleteAsync("site");

        Assert.Empty(await _networks.ListLeasesAsync());
    }

    [Fact]
    public async Task MoveLease_TwoLeases_OnlyThePrimaryMoves()
    {
        var (pub, priv) = await TwoNetworksAsync();
        var other = Network("other", "10.71.3.0/24");
        Assert.True(await _networks.TryInsertAsync(other));
        Assert.True(await _containers.TryInsertAsync(Container("web")));
        Assert.NotNull(await _networks.TryLeaseAsync(pub, "web", null, 0));
        Assert.NotNull(await _networks.TryLeaseAsync(priv, "web", null, 1));

        Assert.True(await _networks.TryMoveLeaseAsync("web", other, null));

        var record = await _containers.GetAsync("web");
        Assert.Equal([("other", 0), ("priv", 1)], record!.Nics.Select(n => (n.Network.Name, n.Index)));
    }

    [Fact]
    public async Task MoveLease_ToNone_TheNextInterfacesMoveUpAndRestoreLeasesPutsAllBack()
    {
        var (pub, priv) = await TwoNetworksAsync();
        var other = Network("other", "10.71.3.0/24");
        Assert.True(await _networks.TryInsertAsync(other));
        Assert.True(await _containers.TryInsertAsync(Container("web")));
        Assert.NotNull(await _networks.TryLeaseAsync(pub, "web", null, 0));
        Assert.NotNull(await _networks.TryLeaseAsync(priv, "web", null, 1));
        Assert.NotNull(await _networks.TryLeaseAsync(other, "web", null, 2));
        var before = await _networks.ListLeasesOfAsync("web");

        Assert.True(await _networks.TryMoveLeaseAsync("web", null, null));

        var record = await _containers.GetAsync("web");
        Assert.Equal([("priv", 0), ("other", 1)], record!.Nics.Select(n => (n.Network.Name, n.Index)));
        Assert.Equal("priv", record.Nic?.Network.Name);
        Assert.Equal(before[1].HardwareAddress, record.Nic?.HardwareAddress);

        await _networks.RestoreLeasesAsync("web", before);
        Assert.Equal(before, await _networks.ListLeasesOfAsync("web"));
    }
}
