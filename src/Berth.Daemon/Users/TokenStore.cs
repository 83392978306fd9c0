using Berth.Daemon.Access;
using Berth.Daemon.Store;
using Dapper;

namespace Berth.Daemon.Users;

/// <summary>Reads and writes users' API tokens; a token goes with its user (ON DELETE CASCADE).</summary>
public sealed class TokenStore(Database database)
{
    private const string Columns =
        "t.id, t.name, t.user_name AS User, t.hash, t.read_only AS ReadOnly, t.scope AS Scope, t.expires_at AS ExpiresAt, t.created_at AS CreatedAt, t.last_used_at AS LastUsedAt";

    public async Task<bool> TryInsertAsync(TokenRecord token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO tokens (id, name, user_name, hash, read_only, scope, expires_at, created_at, last_used_at)
            VALUES (@Id, @Name, @User, @Hash, @ReadOnly, @Scope, @ExpiresAt, @CreatedAt, NULL)
            ON CONFLICT DO NOTHING
            """,
            new
            {
                token.Id,
                token.Name,
                token.User,
                token.Hash,
                ReadOnly = token.ReadOnly ? 1 : 0,
                Scope = TokenScopes.Text(token.Scope),
                ExpiresAt = token.ExpiresAt is { } e ? UserStore.Text(e) : null,
                CreatedAt = UserStore.Text(token.CreatedAt),
            },
            cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;
    }

    /// <summary>The tokens of one user, or of every user when <paramref name="user"/> is null.</summary>
    public async Task<IReadOnlyList<TokenRecord>> ListAsync(string? user, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM tokens t WHERE @user IS NULL OR t.user_name = @user ORDER BY t.user_name, t.name", new { user }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToRecord())];
    }

    public async Task<bool> DeleteAsync(string user, string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM tokens WHERE user_name = @user AND name = @name", new { user, name }, cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;
    }

    /// <summary>A token by its id with its user's current role and state, read together so a disabled user is seen at once.</summary>
    public async Task<(TokenRecord Token, Role Role, bool Disabled)?> FindWithUserAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns}, u.role AS UserRole, u.disabled AS UserDisabled FROM tokens t JOIN users u ON u.name = t.user_name WHERE t.id = @id",
            new { id },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row is null ? null : (row.ToRecord(), UserStore.ParseRole(row.UserRole), row.UserDisabled != 0);
    }

    /// <summary>Records a use, at most once per <paramref name="interval"/>, so busy tokens do not write on every request.</summary>
    public async Task TouchAsync(string id, DateTimeOffset now, TimeSpan interval, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE tokens SET last_used_at = @now WHERE id = @id AND (last_used_at IS NULL OR last_used_at < @cutoff)",
            new { id, now = UserStore.Text(now), cutoff = UserStore.Text(now - interval) },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    private sealed record Row
    {
        public string Id { get; init; } = "";
        public string Name { get; init; } = "";
        public string User { get; init; } = "";
        public string Hash { get; init; } = "";
        public long ReadOnly { get; init; }
        public string Scope { get; init; } = "";
        public string? ExpiresAt { get; init; }
        public string CreatedAt { get; init; } = "";
        public string? LastUsedAt { get; init; }
        public string UserRole { get; init; } = "";
        public long UserDisabled { get; init; }

        public TokenRecord ToRecord() => new()
        {
            Id = Id,
            Name = Name,
            User = User,
            Hash = Hash,
            ReadOnly = ReadOnly != 0,
            Scope = TokenScopes.Parse(Scope),
            ExpiresAt = ExpiresAt is null ? null : UserStore.ParseTime(ExpiresAt),
            CreatedAt = UserStore.ParseTime(CreatedAt),
            LastUsedAt = LastUsedAt is null ? null : UserStore.ParseTime(LastUsedAt),
        };
    }
}
