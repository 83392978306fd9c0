using Berth.Daemon.Store;
using Dapper;

namespace Berth.Daemon.Users;

/// <summary>
/// Users' panel sessions, persisted so a daemon restart logs nobody out. A row is keyed by SHA-256 of the session id,
/// so the database alone does not let anyone ride a session; expired rows are pruned as new sessions are made.
/// </summary>
public sealed class SessionStore(Database database)
{
    public async Task InsertAsync(string id, string user, string csrf, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM sessions WHERE expires_at <= @now; INSERT INTO sessions (hash, user_name, csrf, expires_at, created_at) VALUES (@hash, @user, @csrf, @expiresAt, @now)",
            new { hash = SecretHash.Of(id), user, csrf, expiresAt = UserStore.Text(expiresAt), now = UserStore.Text(now) },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>The unexpired session with this id, read with its user's current role and state.</summary>
    public async Task<UserSession?> FindAsync(string id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<(string User, string Role, long Disabled, string Csrf, string ExpiresAt)>(new CommandDefinition(
            "SELECT s.user_name, u.role, u.disabled, s.csrf, s.expires_at FROM sessions s JOIN users u ON u.name = s.user_name WHERE s.hash = @hash AND s.expires_at > @now",
            new { hash = SecretHash.Of(id), now = UserStore.Text(now) },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row.User is null ? null : new UserSession(row.User, UserStore.ParseRole(row.Role), row.Disabled != 0, row.Csrf, UserStore.ParseTime(row.ExpiresAt));
    }

    public async Task DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM sessions WHERE hash = @hash; DELETE FROM root_sessions WHERE hash = @hash", new { hash = SecretHash.Of(id) }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>A session opened with the admin token, recorded with <paramref name="tokenKey"/> (derived from that token).</summary>
    public async Task InsertRootAsync(string id, string tokenKey, string csrf, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM root_sessions WHERE expires_at <= @now OR token_key <> @tokenKey; INSERT INTO root_sessions (hash, token_key, csrf, expires_at, created_at) VALUES (@hash, @tokenKey, @csrf, @expiresAt, @now)",
            new { hash = SecretHash.Of(id), tokenKey, csrf, expiresAt = UserStore.Text(expiresAt), now = UserStore.Text(now) },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>The unexpired admin-token session with this id, when it was opened with the token berthd holds now.</summary>
    public async Task<(string Csrf, DateTimeOffset ExpiresAt)?> FindRootAsync(string id, string tokenKey, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<(string Csrf, string ExpiresAt)>(new CommandDefinition(
            "SELECT csrf, expires_at FROM root_sessions WHERE hash = @hash AND token_key = @tokenKey AND expires_at > @now",
            new { hash = SecretHash.Of(id), tokenKey, now = UserStore.Text(now) },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row.Csrf is null ? null : (row.Csrf, UserStore.ParseTime(row.ExpiresAt));
    }

    /// <summary>Ends every session of a user (a new password logs the old browsers out).</summary>
    public async Task DeleteForUserAsync(string user, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM sessions WHERE user_name = @user", new { user }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }
}
