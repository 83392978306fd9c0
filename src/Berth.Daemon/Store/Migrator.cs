using System.Data.Common;
using Dapper;

namespace Berth.Daemon.Store;

/// <summary>Brings a database from whatever version it is at to the newest, one transaction per step.</summary>
public static class Migrator
{
    public static async Task<int> MigrateAsync(DbConnection connection, CancellationToken cancellationToken = default, IReadOnlyList<Migration>? migrations = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        migrations ??= Migrations.All;
        await connection.ExecuteAsync(new CommandDefinition(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)",
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        var current = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(
            "SELECT MAX(version) FROM schema_migrations", cancellationToken: cancellationToken)).ConfigureAwait(false) ?? 0;

        foreach (var migration in migrations.Where(m => m.Version > current).OrderBy(m => m.Version))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_migrations (version, description, applied_at) VALUES (@Version, @Description, @AppliedAt)",
                new { migration.Version, migration.Description, AppliedAt = DateTimeOffset.UtcNow.ToString("O") },
                transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            current = migration.Version;
        }

        return current;
    }
}
