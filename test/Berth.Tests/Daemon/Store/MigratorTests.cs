using Berth.Daemon.Store;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Berth.Tests.Daemon.Store;

public sealed class MigratorTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<SqliteConnection> OpenAsync()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _dir.File("test.db") }.ToString());
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<List<string>> ColumnsAsync(SqliteConnection connection, string table) =>
        [.. await connection.QueryAsync<string>($"SELECT name FROM pragma_table_info('{table}')")];

    [Fact]
    public void All_EveryFeaturesVersion_IsItsOwn() =>
        Assert.Empty(Migrations.All.GroupBy(m => m.Version).Where(g => g.Count() > 1).Select(g => g.Key));

    [Fact]
    public async Task MigrateAsync_FreshDatabase_ReachesLatestVersion()
    {
        await using var connection = await OpenAsync();

        var version = await Migrator.MigrateAsync(connection);

        Assert.Equal(Migrations.All.Max(m => m.Version), version);
        var recorded = (await connection.QueryAsync<int>("SELECT version FROM schema_migrations ORDER BY version")).ToList();
        Assert.Equal(Migrations.All.Select(m => m.Version).Order(), recorded);
        Assert.Contains("name", await ColumnsAsync(connection, "containers"));
        Assert.Contains("finished_at", await ColumnsAsync(connection, "jobs"));
    }

    [Fact]
    public async Task MigrateAsync_RunTwice_SecondRunChangesNothing()
    {
        await using var connection = await OpenAsync();
        var first = await Migrator.MigrateAsync(connection);
        var appliedAt = (await connection.QueryAsync<string>("SELECT applied_at FROM schema_migrations ORDER BY version")).ToList();

        var second = await Migrator.MigrateAsync(connection);

        Assert.Equal(first, second);
        Assert.Equal(appliedAt, (await connection.QueryAsync<string>("SELECT applied_at FROM schema_migrations ORDER BY version")).ToList());
    }

    [Fact]
    public async Task MigrateAsync_DatabaseAtVersion1_AppliesLaterMigrationKeepingRows()
    {
        await using var connection = await OpenAsync();
        Migration v1 = new(1, "items", "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL);");
        Migration v2 = new(2, "items colour", "ALTER TABLE items ADD COLUMN colour TEXT NOT NULL DEFAULT 'blue';");
        Assert.Equal(1, await Migrator.MigrateAsync(connection, migrations: [v1]));
        await connection.ExecuteAsync("INSERT INTO items (id, name) VALUES (1, 'first'), (2, 'second')");

        var version = await Migrator.MigrateAsync(connection, migrations: [v2, v1]);

        Assert.Equal(2, version);
        var rows = (await connection.QueryAsync<(long Id, string Name, string Colour)>("SELECT id, name, colour FROM items ORDER BY id")).ToList();
        Assert.Equal([(1L, "first", "blue"), (2L, "second", "blue")], rows);
        Assert.Equal(["items", "items colour"], await connection.QueryAsync<string>("SELECT description FROM schema_migrations ORDER BY version"));
    }

    [Fact]
    public async Task MigrateAsync_FailingMigration_RolledBackAndNotRecorded()
    {
        await using var connection = await OpenAsync();
        Migration v1 = new(1, "items", "CREATE TABLE items (id INTEGER PRIMARY KEY);");
        Migration broken = new(2, "broken", "CREATE TABLE half (id INTEGER); THIS IS NOT SQL;");

        await Assert.ThrowsAsync<SqliteException>(() => Migrator.MigrateAsync(connection, migrations: [v1, broken]));

        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT MAX(version) FROM schema_migrations"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM sqlite_master WHERE name = 'half'"));
    }
}
