using Berth.Daemon.Store;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Berth.Tests.Daemon.Store;

/// <summary>A database of a Berth from before members (every migration below 500) upgrades without losing anything.</summary>
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
}
