using System.Globalization;
using Berth.Daemon.Store;
using Dapper;

namespace Berth.Daemon.Audit;

/// <summary>Reads and writes the audit table. Times are stored as UTC ISO 8601, so text order is time order.</summary>
public sealed class AuditStore(Database database)
{
    private const string Columns = "id, at, user_name AS UserName, token, address, method, path, action, target, status, job_id AS JobId, detail";

    public async Task InsertAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO audit (id, at, user_name, token, address, method, path, action, target, status, job_id, detail)
            VALUES (@Id, @At, @User, @Token, @Address, @Method, @Path, @Action, @Target, @Status, @JobId, @Detail)
            """,
            new
            {
                record.Id,
                At = Text(record.At),
                record.User,
                record.Token,
                record.Address,
                record.Method,
                record.Path,
                record.Action,
                record.Target,
                record.Status,
                record.JobId,
                record.Detail,
            },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>The newest records first, optionally only one user's and only those at or after <paramref name="since"/>.</summary>
    public async Task<IReadOnlyList<AuditRecord>> ListAsync(string? user, DateTimeOffset? since, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"""
            SELECT {Columns} FROM audit
            WHERE (@user IS NULL OR user_name = @user) AND (@since IS NULL OR at >= @since)
            ORDER BY at DESC, id DESC LIMIT @limit
            """,
            new { user, since = since is { } s ? Text(s) : null, limit },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(FromRow)];
    }

    /// <summary>Deletes the records older than <paramref name="cutoff"/>; returns how many.</summary>
    public async Task<int> DeleteBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM audit WHERE at < @cutoff", new { cutoff = Text(cutoff) }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    private static string Text(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static AuditRecord FromRow(Row row) => new()
    {
        Id = row.Id,
        At = DateTimeOffset.Parse(row.At, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
        User = row.UserName,
        Token = row.Token,
        Address = row.Address,
        Method = row.Method,
        Path = row.Path,
        Action = row.Action,
        Target = row.Target,
        Status = (int)row.Status,
        JobId = row.JobId,
        Detail = row.Detail,
    };

    private sealed record Row
    {
        public string Id { get; init; } = "";
        public string At { get; init; } = "";
        public string? UserName { get; init; }
        public string? Token { get; init; }
        public string? Address { get; init; }
        public string Method { get; init; } = "";
        public string Path { get; init; } = "";
        public string Action { get; init; } = "";
        public string? Target { get; init; }
        public long Status { get; init; }
        public string? JobId { get; init; }
        public string? Detail { get; init; }
    }
}
