using System.Globalization;
using Berth.Daemon.Store;
using Dapper;

namespace Berth.Daemon.Storage;

/// <summary>Rows of pools, container placements and snapshots.</summary>
public sealed class StorageStore(Database database)
{
    public async Task<IReadOnlyList<StoragePool>> ListPoolsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<PoolRow>(new CommandDefinition(
            "SELECT name, driver, path, loop_file AS LoopFile, size_bytes AS SizeBytes, created_at AS CreatedAt FROM storage_pools ORDER BY name",
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToPool())];
    }

    public async Task<bool> TryInsertPoolAsync(StoragePool pool, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO storage_pools (name, driver, path, loop_file, size_bytes, created_at)
            VALUES (@Name, @Driver, @Path, @LoopFile, @SizeBytes, @CreatedAt) ON CONFLICT (name) DO NOTHING
            """,
            new { pool.Name, pool.Driver, pool.Path, pool.LoopFile, pool.SizeBytes, CreatedAt = pool.CreatedAt.ToString("O") },
            cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;
    }

    public async Task DeletePoolAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM storage_pools WHERE name = @name", new { name }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>The pool a container is in; containers without a row are in the default pool.</summary>
    public async Task<string> PoolOfAsync(string container, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT pool FROM container_storage WHERE container = @container", new { container }, cancellationToken: cancellationToken)).ConfigureAwait(false)
            ?? StoragePool.DefaultName;
    }

    public async Task<IReadOnlyDictionary<string, string>> PlacementsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Container, string Pool)>(new CommandDefinition(
            "SELECT container, pool FROM container_storage", cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Container, r => r.Pool, StringComparer.Ordinal);
    }

    public async Task SetPoolOfAsync(string container, string pool, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO container_storage (container, pool) VALUES (@container, @pool) ON CONFLICT (container) DO UPDATE SET pool = excluded.pool",
            new { container, pool }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Forgets where a container was and its snapshots (after its delete).</summary>
    public async Task ForgetContainerAsync(string container, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM container_storage WHERE container = @container; DELETE FROM snapshots WHERE container = @container",
            new { container }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<SnapshotRecord>> ListSnapshotsAsync(string? container, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<SnapshotRow>(new CommandDefinition(
            "SELECT container, name, created_at AS CreatedAt, expires_at AS ExpiresAt FROM snapshots WHERE @container IS NULL OR container = @container ORDER BY container, created_at, name",
            new { container }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToRecord())];
    }

    public Task<bool> TryInsertSnapshotAsync(SnapshotRecord snapshot, CancellationToken cancellationToken = default) => TryInsertSnapshotAsync(snapshot, null, cancellationToken);

    /// <summary>Inserts a snapshot row if it fits the container owner's quota (checked in the same transaction; a 403 problem otherwise).</summary>
    public async Task<bool> TryInsertSnapshotAsync(SnapshotRecord snapshot, Users.QuotaDemand? quota, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (quota is not null)
        {
            await Users.QuotaLedger.RequireRoomAsync(connection, transaction, quota, cancellationToken).ConfigureAwait(false);
        }

        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO snapshots (container, name, created_at, expires_at) VALUES (@Container, @Name, @CreatedAt, @ExpiresAt) ON CONFLICT (container, name) DO NOTHING",
            new { snapshot.Container, snapshot.Name, CreatedAt = snapshot.CreatedAt.ToString("O"), ExpiresAt = snapshot.ExpiresAt?.ToString("O") },
            transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return inserted == 1;
    }

    /// <summary>Refuses a snapshot beyond the owner's quota before its job is queued; the insert checks again.</summary>
    public Task RequireQuotaAsync(Users.QuotaDemand quota, CancellationToken cancellationToken = default) => Users.QuotaLedger.CheckAsync(database, quota, cancellationToken);

    public async Task DeleteSnapshotAsync(string container, string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM snapshots WHERE container = @container AND name = @name", new { container, name }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    private static DateTimeOffset Parse(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private sealed record PoolRow
    {
        public string Name { get; init; } = "";
        public string Driver { get; init; } = "";
        public string Path { get; init; } = "";
        public string? LoopFile { get; init; }
        public long? SizeBytes { get; init; }
        public string CreatedAt { get; init; } = "";

        public StoragePool ToPool() => new() { Name = Name, Driver = Driver, Path = Path, LoopFile = LoopFile, SizeBytes = SizeBytes, CreatedAt = Parse(CreatedAt) };
    }

    private sealed record SnapshotRow
    {
        public string Container { get; init; } = "";
        public string Name { get; init; } = "";
        public string CreatedAt { get; init; } = "";
        public string? ExpiresAt { get; init; }

        public SnapshotRecord ToRecord() => new(Container, Name, Parse(CreatedAt), ExpiresAt is null ? null : Parse(ExpiresAt));
    }
}
