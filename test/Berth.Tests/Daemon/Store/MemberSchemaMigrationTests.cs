using Berth.Daemon.Hosting;
using Berth.Daemon.Store;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Berth.Tests.Daemon.Store;

/// <summary>A database of a Berth from before members (every migration below 500), or from before owned rows (550), upgrades without losing anything.</summary>
public sealed class MemberSchemaMigrationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<SqliteConnection> OpenAsync()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _dir.File("berth.db") }.ToString());
        await connection.OpenAsync();
        await connection.ExecuteAsync("PRAGMA foreign_keys=ON;");
        return connection;
    }

    private async Task<SqliteConnection> SingleAdminDatabaseAsync()
    {
        var connection = await OpenAsync();
        await Migrator.MigrateAsync(connection, migrations: [.. Migrations.All.Where(m => m.Version < 500)]);
        await connection.ExecuteAsync(
            """
            INSERT INTO containers (name, image, status, privileged, config, created_at, job_id, lxc_profile, halt_signal)
            VALUES ('web', 'debian/12', 'ready', 0, '{"limits.memory":"256MiB"}', '2026-11-01T10:00:00.0000000+00:00', NULL, 'debian', 'SIGRTMIN+3');
            INSERT INTO networks (name, subnet, subnet6, nat, isolated, status, created_at, job_id) VALUES ('berth0', '10.87.0.0/24', NULL, 1, 0, 'ready', '2026-11-01T10:00:00.0000000+00:00', NULL);
            INSERT INTO leases (network, address, address6, container, hwaddr) VALUES ('berth0', '10.87.0.2', NULL, 'web', '00:16:3e:00:00:01');
            INSERT INTO forwards (protocol, host_port, host_port_end, container, container_port, container_port_end, listen_address, ssh) VALUES ('tcp', 8080, 8080, 'web', 80, 80, NULL, 0);
            INSERT INTO jobs (id, kind, target, status, args, progress, error, created_at, started_at, finished_at) VALUES ('j1', 'container.launch', 'web', 'succeeded', '{}', NULL, NULL, '2026-11-01T10:00:00.0000000+00:00', NULL, NULL);
            """);
        return connection;
    }

    [Fact]
    public async Task Upgrade_KeepsEveryRow_AndLeavesThemOwnedByRoot()
    {
        await using var connection = await SingleAdminDatabaseAsync();

        await Migrator.MigrateAsync(connection);

        var container = await connection.QuerySingleAsync<(string Name, string Config, string? Owner)>("SELECT name, config, owner FROM containers");
        Assert.Equal(("web", """{"limits.memory":"256MiB"}""", (string?)null), container);
        Assert.Null(await connection.ExecuteScalarAsync<string?>("SELECT owner FROM networks WHERE name = 'berth0'"));
        Assert.Null(await connection.ExecuteScalarAsync<string?>("SELECT requested_by FROM jobs WHERE id = 'j1'"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM leases WHERE container = 'web'"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM forwards WHERE container = 'web'"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users"));
    }

    [Fact]
    public async Task Upgraded_OwnersMustBeUsers_AndFollowARename()
    {
        await using var connection = await SingleAdminDatabaseAsync();
        await Migrator.MigrateAsync(connection);

        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync("UPDATE containers SET owner = 'ghost' WHERE name = 'web'"));
        await connection.ExecuteAsync("INSERT INTO users (name, role, password_hash, totp_secret, disabled, created_at) VALUES ('alice', 'member', NULL, NULL, 0, '2026-12-01T00:00:00Z')");
        await connection.ExecuteAsync("UPDATE containers SET owner = 'alice' WHERE name = 'web'");
        await connection.ExecuteAsync("UPDATE users SET name = 'alicia' WHERE name = 'alice'");

        Assert.Equal("alicia", await connection.ExecuteScalarAsync<string>("SELECT owner FROM containers WHERE name = 'web'"));
        // A user who still owns a container cannot just vanish from under it.
        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync("DELETE FROM users WHERE name = 'alicia'"));
    }

    // Every table whose rows name a container, and the rows one container 'web' has in each.
    private static readonly string[] ChildTables = ["leases", "forwards", "proxy_routes", "container_storage", "snapshots"];

    private async Task<SqliteConnection> BeforeOwnedRowsDatabaseAsync()
    {
        var connection = await OpenAsync();
        await Migrator.MigrateAsync(connection, migrations: [.. Migrations.All.Where(m => m.Version < 550)]);
        await connection.ExecuteAsync(
            """
            INSERT INTO containers (name, image, status, privileged, config, created_at, job_id, lxc_profile, halt_signal)
            VALUES ('web', 'debian/12', 'ready', 0, '{}', '2026-11-01T10:00:00.0000000+00:00', NULL, 'debian', 'SIGRTMIN+3');
            INSERT INTO networks (name, subnet, subnet6, nat, isolated, status, created_at, job_id) VALUES ('berth0', '10.87.0.0/24', 'fd42::/64', 1, 0, 'ready', '2026-11-01T10:00:00.0000000+00:00', NULL);
            INSERT INTO networks (name, subnet, subnet6, nat, isolated, status, created_at, job_id) VALUES ('back', '10.88.0.0/24', NULL, 0, 0, 'ready', '2026-11-01T10:00:00.0000000+00:00', NULL);
            INSERT INTO storage_pools (name, driver, path, loop_file, size_bytes, created_at) VALUES ('fast', 'dir', '/srv/fast', NULL, NULL, '2026-11-01T10:00:00.0000000+00:00');
            INSERT INTO leases (network, address, address6, container, hwaddr, nic) VALUES ('berth0', '10.87.0.2', 'fd42::2', 'web', '00:16:3e:00:00:01', 0);
            INSERT INTO leases (network, address, address6, container, hwaddr, nic) VALUES ('back', '10.88.0.2', NULL, 'web', '00:16:3e:00:00:02', 1);
            INSERT INTO forwards (protocol, host_port, host_port_end, container, container_port, container_port_end, listen_address, ssh) VALUES ('tcp', 8080, 8081, 'web', 80, 81, '127.0.0.1', 0);
            INSERT INTO proxy_routes (domain, path, container, port, max_body, timeout, websocket, tls, redirect_https, created_at) VALUES ('web.example', '/', 'web', 80, '10m', '60s', 1, 'web-cert', 1, '2026-11-01T10:00:00.0000000+00:00');
            INSERT INTO container_storage (container, pool) VALUES ('web', 'fast');
            INSERT INTO snapshots (container, name, created_at, expires_at) VALUES ('web', 'before', '2026-11-02T10:00:00.0000000+00:00', '2026-11-09T10:00:00.0000000+00:00');
            INSERT INTO leases (network, address, address6, container, hwaddr, nic) VALUES ('berth0', '10.87.0.9', NULL, 'gone', '00:16:3e:00:00:09', 0);
            INSERT INTO forwards (protocol, host_port, host_port_end, container, container_port, container_port_end, listen_address, ssh) VALUES ('udp', 5353, 5353, 'gone', 53, 53, NULL, 0);
            INSERT INTO proxy_routes (domain, path, container, port, max_body, timeout, websocket, tls, redirect_https, created_at) VALUES ('gone.example', '/', 'gone', 80, '1m', '60s', 0, NULL, 0, '2026-11-01T10:00:00.0000000+00:00');
            INSERT INTO container_storage (container, pool) VALUES ('gone', 'fast');
            INSERT INTO snapshots (container, name, created_at, expires_at) VALUES ('gone', 'old', '2026-11-02T10:00:00.0000000+00:00', NULL);
            """);
        return connection;
    }

    [Fact]
    public async Task OwnedRowsUpgrade_KeepsEveryColumn_AndDropsOrphans()
    {
        await using var connection = await BeforeOwnedRowsDatabaseAsync();

        await Migrator.MigrateAsync(connection);

        Assert.Equal(
            ["back|10.88.0.2||web|00:16:3e:00:00:02|1", "berth0|10.87.0.2|fd42::2|web|00:16:3e:00:00:01|0"],
            await connection.QueryAsync<string>("SELECT network || '|' || address || '|' || COALESCE(address6, '') || '|' || container || '|' || hwaddr || '|' || nic FROM leases ORDER BY network"));
        Assert.Equal(
            "tcp|8080|8081|web|80|81|127.0.0.1|0",
            await connection.QuerySingleAsync<string>("SELECT protocol || '|' || host_port || '|' || host_port_end || '|' || container || '|' || container_port || '|' || container_port_end || '|' || listen_address || '|' || ssh FROM forwards"));
        Assert.Equal(
            "web.example|/|web|80|10m|60s|1|web-cert|1|2026-11-01T10:00:00.0000000+00:00",
            await connection.QuerySingleAsync<string>("SELECT domain || '|' || path || '|' || container || '|' || port || '|' || max_body || '|' || timeout || '|' || websocket || '|' || tls || '|' || redirect_https || '|' || created_at FROM proxy_routes"));
        Assert.Equal("web|fast", await connection.QuerySingleAsync<string>("SELECT container || '|' || pool FROM container_storage"));
        Assert.Equal(
            "web|before|2026-11-02T10:00:00.0000000+00:00|2026-11-09T10:00:00.0000000+00:00",
            await connection.QuerySingleAsync<string>("SELECT container || '|' || name || '|' || created_at || '|' || expires_at FROM snapshots"));
        Assert.Empty(await connection.QueryAsync("PRAGMA foreign_key_check"));
        Assert.Equal(
            ["forwards_container", "proxy_routes_container"],
            await connection.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'index' AND name IN ('forwards_container', 'proxy_routes_container') ORDER BY name"));
    }

    [Fact]
    public async Task OwnedRowsUpgraded_KeepTheirKeys()
    {
        await using var connection = await BeforeOwnedRowsDatabaseAsync();
        await Migrator.MigrateAsync(connection);

        // The same address twice, a second lease on one interface, a taken port, route or snapshot name: still refused.
        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync("INSERT INTO leases (network, address, address6, container, hwaddr, nic) VALUES ('berth0', '10.87.0.2', NULL, 'web', 'x', 2)"));
        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync("INSERT INTO leases (network, address, address6, container, hwaddr, nic) VALUES ('berth0', '10.87.0.3', NULL, 'web', 'x', 2)"));
        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync("INSERT INTO leases (network, address, address6, container, hwaddr, nic) VALUES ('other', '10.87.0.3', NULL, 'web', 'x', 1)"));
        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync("INSERT INTO forwards (protocol, host_port, host_port_end, container, container_port, container_port_end, listen_address, ssh) VALUES ('tcp', 8080, 8080, 'web', 22, 22, NULL, 1)"));
        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync("INSERT INTO proxy_routes (domain, path, container, port, max_body, timeout, websocket, created_at) VALUES ('web.example', '/', 'web', 81, '1m', '60s', 0, 'now')"));
        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync("INSERT INTO snapshots (container, name, created_at) VALUES ('web', 'before', 'now')"));
        // A row for a container that does not exist is refused.
        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync("INSERT INTO snapshots (container, name, created_at) VALUES ('ghost', 'x', 'now')"));
        // Defaults still apply to a lease's interface and a route's redirect.
        Assert.Equal("0", await connection.ExecuteScalarAsync<string>("SELECT dflt_value FROM pragma_table_info('leases') WHERE name = 'nic'"));
        Assert.Equal("0", await connection.ExecuteScalarAsync<string>("SELECT dflt_value FROM pragma_table_info('proxy_routes') WHERE name = 'redirect_https'"));
    }

    [Fact]
    public async Task RenamingAContainer_RenamesItsRows_AndDeletingItRemovesThem()
    {
        await using var connection = await BeforeOwnedRowsDatabaseAsync();
        await Migrator.MigrateAsync(connection);

        var store = new ContainerStore(new Database(new StatePaths(new BerthOptions { StateDir = _dir.Path })));

        Assert.True(await store.TryRenameAsync("web", "site"));
        foreach (var table in ChildTables)
        {
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table} WHERE container = 'web'"));
            Assert.True(await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table} WHERE container = 'site'") > 0, table);
        }

        Assert.Equal(2, (await store.GetAsync("site"))!.Nics.Count);
        await store.DeleteAsync("site");
        foreach (var table in ChildTables)
        {
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}"));
        }
    }
}
