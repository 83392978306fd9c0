using System.Globalization;
using Berth.Daemon.Access;
using Berth.Daemon.Store;
using Dapper;

namespace Berth.Daemon.Users;

/// <summary>Reads and writes users. Deleting one deletes its tokens and sessions (foreign keys cascade).</summary>
public sealed class UserStore(Database database)
{
    private const string Columns =
        "name, role, password_hash AS PasswordHash, totp_secret AS TotpSecret, totp_last_step AS TotpLastStep, disabled, created_at AS CreatedAt, setup_hash AS SetupHash, setup_expires_at AS SetupExpiresAt";

    public async Task<IReadOnlyList<UserRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM users ORDER BY name", cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToRecord())];
    }

    public async Task<UserRecord?> FindAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM users WHERE name = @name", new { name }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToRecord();
    }

    public async Task<bool> TryInsertAsync(UserRecord user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO users (name, role, password_hash, totp_secret, disabled, created_at, setup_hash, setup_expires_at)
            VALUES (@Name, @Role, @PasswordHash, NULL, 0, @CreatedAt, @SetupHash, @SetupExpiresAt)
            ON CONFLICT DO NOTHING
            """,
            new
            {
                user.Name,
                Role = RoleText(user.Role),
                user.PasswordHash,
                CreatedAt = Text(user.CreatedAt),
                user.SetupHash,
                SetupExpiresAt = user.SetupExpiresAt is { } e ? Text(e) : null,
            },
            cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;
    }

    public Task<bool> SetDisabledAsync(string name, bool disabled, CancellationToken cancellationToken = default) =>
        ExecuteAsync("UPDATE users SET disabled = @disabled WHERE name = @name", new { name, disabled = disabled ? 1 : 0 }, cancellationToken);

    /// <summary>Deletes a user; false when objects it owns (containers, networks) still point at it, and nothing was deleted.</summary>
    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            await ExecuteAsync("DELETE FROM users WHERE name = @name", new { name }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Microsoft.Data.Sqlite.SqliteException e) when (e.SqliteErrorCode == 19)
        {
            return false;
        }
    }

    /// <summary>Sets the password hash (or clears it, leaving a setup code pending) and drops any setup code otherwise.</summary>
    public Task<bool> SetPasswordAsync(string name, string? passwordHash, string? setupHash, DateTimeOffset? setupExpiresAt, CancellationToken cancellationToken = default) =>
        ExecuteAsync(
            "UPDATE users SET password_hash = @passwordHash, setup_hash = @setupHash, setup_expires_at = @setupExpiresAt WHERE name = @name",
            new { name, passwordHash, setupHash, setupExpiresAt = setupExpiresAt is { } e ? Text(e) : null },
            cancellationToken);

    /// <summary>Redeems a setup code: sets the password only if the code is still the pending one, so it works once.</summary>
    public Task<bool> RedeemSetupAsync(string name, string setupHash, string passwordHash, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        ExecuteAsync(
            "UPDATE users SET password_hash = @passwordHash, setup_hash = NULL, setup_expires_at = NULL WHERE name = @name AND setup_hash = @setupHash AND setup_expires_at > @now",
            new { name, setupHash, passwordHash, now = Text(now) },
            cancellationToken);

    public Task<bool> SetTotpAsync(string name, string? secret, CancellationToken cancellationToken = default) =>
        ExecuteAsync("UPDATE users SET totp_secret = @secret, totp_last_step = NULL WHERE name = @name", new { name, secret }, cancellationToken);

    /// <summary>Records a TOTP step as used; false when it (or a later one) was used already, so a code cannot be replayed.</summary>
    public Task<bool> TryUseTotpStepAsync(string name, long step, CancellationToken cancellationToken = default) =>
        ExecuteAsync(
            "UPDATE users SET totp_last_step = @step WHERE name = @name AND (totp_last_step IS NULL OR totp_last_step < @step)",
            new { name, step },
            cancellationToken);

    public static string RoleText(Role role) => role == Role.Admin ? "admin" : "member";

    public static Role ParseRole(string text) => text == "admin" ? Role.Admin : Role.Member;

    /// <summary>UTC in ISO 8601 with a fixed offset, so stored times compare correctly as text.</summary>
    public static string Text(DateTimeOffset time) => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTime(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    private async Task<bool> ExecuteAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;
    }

    private sealed record Row
    {
        public string Name { get; init; } = "";
        public string Role { get; init; } = "";
        public string? PasswordHash { get; init; }
        public string? TotpSecret { get; init; }
        public long? TotpLastStep { get; init; }
        public long Disabled { get; init; }
        public string CreatedAt { get; init; } = "";
        public string? SetupHash { get; init; }
        public string? SetupExpiresAt { get; init; }

        public UserRecord ToRecord() => new()
        {
            Name = Name,
            Role = ParseRole(Role),
            PasswordHash = PasswordHash,
            TotpSecret = TotpSecret,
            TotpLastStep = TotpLastStep,
            Disabled = Disabled != 0,
            CreatedAt = ParseTime(CreatedAt),
            SetupHash = SetupHash,
            SetupExpiresAt = SetupExpiresAt is null ? null : ParseTime(SetupExpiresAt),
        };
    }
}
