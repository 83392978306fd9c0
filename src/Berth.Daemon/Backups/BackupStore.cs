using System.Globalization;
using Berth.Daemon.Store;
using Dapper;

namespace Berth.Daemon.Backups;

/// <summary>Rows of backup targets and backups.</summary>
public sealed class BackupStore(Database database)
{
    private const string BackupColumns = "target, id, container, owner, system, created_at AS CreatedAt, size_bytes AS SizeBytes, files";

    public async Task<IReadOnlyList<BackupTargetRecord>> ListTargetsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<TargetRow>(new CommandDefinition(
            "SELECT name, url, env_keys AS EnvKeys, secrets, created_at AS CreatedAt FROM backup_targets ORDER BY name", cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToRecord())];
    }

    public async Task<BackupTargetRecord?> FindTargetAsync(string name, CancellationToken cancellationToken = default) =>
        (await ListTargetsAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(t => t.Name == name);

    public async Task<bool> TryInsertTargetAsync(BackupTargetRecord target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO backup_targets (name, url, env_keys, secrets, created_at) VALUES (@Name, @Url, @EnvKeys, @Sealed, @CreatedAt) ON CONFLICT (name) DO NOTHING",
            new { target.Name, target.Url, EnvKeys = string.Join(',', target.EnvKeys), target.Sealed, CreatedAt = target.CreatedAt.ToString("O") },
            cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;
    }

    public async Task DeleteTargetAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM backup_targets WHERE name = @name", new { name }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Backups, newest first: of one container, or of everything (null); <paramref name="owner"/> filters a member's own.</summary>
    public async Task<IReadOnlyList<BackupRecord>> ListAsync(string? container, bool onlyOwned, string? owner, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<BackupRow>(new CommandDefinition(
            $"""
            SELECT {BackupColumns} FROM backups
            WHERE (@container IS NULL OR container = @container) AND (@onlyOwned = 0 OR owner = @owner)
            ORDER BY created_at DESC, id
            """,
            new { container, onlyOwned = onlyOwned ? 1 : 0, owner }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToRecord())];
    }

    /// <summary>Backups whose id starts with <paramref name="id"/> (a short or a full restic id).</summary>
    public async Task<IReadOnlyList<BackupRecord>> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<BackupRow>(new CommandDefinition(
            $"SELECT {BackupColumns} FROM backups WHERE short_id = @shortId AND id LIKE @prefix",
            new { shortId = id.Length >= 8 ? id[..8] : id, prefix = id + "%" }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToRecord())];
    }

    public async Task InsertAsync(BackupRecord backup, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backup);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO backups (target, id, short_id, container, owner, system, created_at, size_bytes, files)
            VALUES (@Target, @Id, @ShortId, @Container, @Owner, @System, @CreatedAt, @SizeBytes, @Files) ON CONFLICT (target, id) DO NOTHING
            """,
            new { backup.Target, backup.Id, backup.ShortId, backup.Container, backup.Owner, System = backup.System ? 1 : 0, CreatedAt = backup.CreatedAt.ToString("O"), backup.SizeBytes, backup.Files },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// A snapshot found in a target's repository: recorded unless a row has it already. Rows of backups taken here hold
    /// restic 0.14's short id (its backup summary names no other); such a row takes the full id instead of getting a twin.
    /// </summary>
    public async Task InsertFoundAsync(BackupRecord backup, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backup);
        await using (var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE backups SET id = @Id WHERE target = @Target AND short_id = @ShortId AND id <> @Id AND @Id LIKE id || '%'",
                new { backup.Target, backup.Id, backup.ShortId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        await InsertAsync(backup, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteAsync(string target, IReadOnlyList<string> ids, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM backups WHERE target = @target AND id = @id",
            ids.Select(id => new { target, id }), cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>How many checks that read a rotating part of the data each target has had.</summary>
    public async Task<IReadOnlyDictionary<string, long>> ChecksRunAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Name, long ChecksRun)>(new CommandDefinition(
            "SELECT name, checks_run FROM backup_targets", cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Name, r => r.ChecksRun, StringComparer.Ordinal);
    }

    /// <summary>Counts one more rotating check of <paramref name="target"/>, so the next one reads the next part.</summary>
    public async Task CountCheckAsync(string target, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE backup_targets SET checks_run = checks_run + 1 WHERE name = @target", new { target }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    private sealed record TargetRow
    {
        public string Name { get; init; } = "";
        public string Url { get; init; } = "";
        public string EnvKeys { get; init; } = "";
        public string Secrets { get; init; } = "";
        public string CreatedAt { get; init; } = "";

        public BackupTargetRecord ToRecord() => new(Name, Url, EnvKeys.Split(',', StringSplitOptions.RemoveEmptyEntries), Secrets, DateTimeOffset.Parse(CreatedAt, CultureInfo.InvariantCulture));
    }

    private sealed record BackupRow
    {
        public string Target { get; init; } = "";
        public string Id { get; init; } = "";
        public string? Container { get; init; }
        public string? Owner { get; init; }
        public long System { get; init; }
        public string CreatedAt { get; init; } = "";
        public long? SizeBytes { get; init; }
        public long? Files { get; init; }

        public BackupRecord ToRecord() => new()
        {
            Target = Target,
            Id = Id,
            Container = Container,
            Owner = Owner,
            System = System != 0,
            CreatedAt = DateTimeOffset.Parse(CreatedAt, CultureInfo.InvariantCulture),
            SizeBytes = SizeBytes,
            Files = Files,
        };
    }
}
