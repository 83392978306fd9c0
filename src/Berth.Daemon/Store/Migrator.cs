using System.Data.Common;
using Dapper;

namespace Berth.Daemon.Store;

/// <summary>Applies every schema step the database has not had yet, one transaction per step; returns the highest version.</summary>
public static class Migrator
{
    public static async Task<int> MigrateAsync(DbConnection connection, CancellationToken cancellationToken = default, IReadOnlyList<Migration>? migrations = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        migrations ??= Migrations.All;
        await connection.ExecuteAsync(new CommandDefinition(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)",
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        var applied = (await connection.QueryAsync<int>(new CommandDefinition(
            "SELECT version FROM schema_migrations", cancellationToken: cancellationToken)).ConfigureAwait(false)).ToHashSet();

        // Every step not applied yet, in order: a step added later with a lower number (another feature's) still runs.
        foreach (var migration in migrations.Where(m => !applied.Contains(m.Version)).OrderBy(m => m.Version))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_migrations (version, description, applied_at) VALUES (@Version, @Description, @AppliedAt)",
                new { migration.Version, migration.Description, AppliedAt = DateTimeOffset.UtcNow.ToString("O") },
                transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            applied.Add(migration.Version);
        }

        var current = applied.Count == 0 ? 0 : applied.Max();
        return current;
    }
}
