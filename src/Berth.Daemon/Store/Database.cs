using System.Data.Common;
using Berth.Daemon.Hosting;
using Microsoft.Data.Sqlite;

namespace Berth.Daemon.Store;

/// <summary>Opens connections to the store. SQLite by default; the SQL is kept portable so PostgreSQL can follow.</summary>
public sealed class Database(StatePaths paths)
{
    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = paths.Database,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

        // With WAL, NORMAL loses nothing when the daemon crashes; a power cut may lose the last commits, never consistency.
        // Foreign keys are per connection in SQLite: on, so rows that belong to another go with it (ON DELETE CASCADE).
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return connection;
    }

    /// <summary>Creates the file with owner-only permissions, switches to WAL and applies pending migrations.</summary>
    public async Task InitialiseAsync(CancellationToken cancellationToken = default)
    {
        if (!File.Exists(paths.Database))
        {
            await using (File.Create(paths.Database).ConfigureAwait(false))
            {
            }

            File.SetUnixFileMode(paths.Database, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "PRAGMA journal_mode=WAL;";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await Migrator.MigrateAsync(connection, cancellationToken).ConfigureAwait(false);
    }
}
