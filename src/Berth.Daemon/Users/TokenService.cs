using Berth.Contracts;
using Berth.Daemon.Access;
using Berth.Daemon.Api;
using Berth.Daemon.Storage;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Users;

/// <summary>Users' API tokens: admins manage everyone's, a member only its own (others answer 404).</summary>
public sealed partial class TokenService(TokenStore tokens, UserStore users, TimeProvider time, ILogger<TokenService> logger)
{
    /// <summary>A token's last use is written at most this often.</summary>
    public static readonly TimeSpan TouchInterval = TimeSpan.FromMinutes(1);

    /// <summary>The tokens of <paramref name="user"/>, or with none every token the caller may see.</summary>
    public async Task<IReadOnlyList<TokenInfo>> ListAsync(Caller caller, string? user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (user is not null)
        {
            await RequireUserAsync(caller, user, cancellationToken).ConfigureAwait(false);
        }

        var owner = user ?? (caller.IsAdmin ? null : caller.Name);
        return [.. (await tokens.ListAsync(owner, cancellationToken).ConfigureAwait(false)).Where(t => caller.MayUse(t.User)).Select(Describe)];
    }

    public async Task<TokenCreateResult> CreateAsync(Caller caller, string user, TokenCreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        UserService.RequireWritable(caller);
        await RequireUserAsync(caller, user, cancellationToken).ConfigureAwait(false);
        var name = ValidateName(request.Name);
        var scope = TokenScopes.FromRequest(request.Scope);
        if (scope == TokenScope.Metrics && (await users.FindAsync(user, cancellationToken).ConfigureAwait(false))?.Role != Role.Admin)
        {
            throw DomainError.Invalid("Metrics tokens are for admins", $"'{user}' is not an admin, and GET /metrics shows every container of the host, so only an admin's token may have scope metrics; a member reads its own containers' metrics with a full token (GET /api/v1/containers/{{name}}/metrics).");
        }

        var now = time.GetUtcNow();
        DateTimeOffset? expires = null;
        if (request.Expires is not null)
        {
            expires = Durations.TryParse(request.Expires, out var lifetime)
                ? now + lifetime
                : throw DomainError.Invalid("Invalid expiry", $"'{Hosting.ControlCharacters.Visible(request.Expires)}' (expires) is not a duration: give a number and a unit, like 30m, 12h, 90d or 2w.");
        }

        var (id, token) = ApiToken.New();
        var record = new TokenRecord { Id = id, Name = name, User = user, Hash = SecretHash.Of(token), ReadOnly = request.ReadOnly, Scope = scope, ExpiresAt = expires, CreatedAt = now };
        if (!await tokens.TryInsertAsync(record, cancellationToken).ConfigureAwait(false))
        {
            throw DomainError.Conflict("Token exists", $"'{user}' has a token named '{name}' already; revoke it or choose another name.");
        }

        LogCreated(logger, name, user, request.ReadOnly, TokenScopes.Text(scope), caller.Name);
        return new TokenCreateResult { Info = Describe(record), Token = token };
    }

    /// <summary>Revokes (deletes) a token at once; returns it as it was.</summary>
    public async Task<TokenInfo> RevokeAsync(Caller caller, string user, string name, CancellationToken cancellationToken)
    {
        UserService.RequireWritable(caller);
        await RequireUserAsync(caller, user, cancellationToken).ConfigureAwait(false);
        ValidateName(name);
        var existing = (await tokens.ListAsync(user, cancellationToken).ConfigureAwait(false)).FirstOrDefault(t => t.Name == name);
        if (existing is null || !await tokens.DeleteAsync(user, name, cancellationToken).ConfigureAwait(false))
        {
            throw DomainError.NotFound("Token not found", $"'{user}' has no token named '{name}'; the token list shows the ones there are.");
        }

        LogRevoked(logger, name, user, caller.Name);
        return Describe(existing);
    }

    /// <summary>
    /// The caller a bearer token stands for; null when the text is not shaped like a user token (it may be the admin
    /// token); a refusal when it is one but unknown, revoked, expired or its user is disabled.
    /// </summary>
    public async Task<TokenResolution?> ResolveAsync(string bearer, System.Net.IPAddress? address, CancellationToken cancellationToken)
    {
        if (ApiToken.IdOf(bearer) is not { } id)
        {
            return null;
        }

        var found = await tokens.FindWithUserAsync(id, cancellationToken).ConfigureAwait(false);
        if (found is not { } row || !SecretHash.Matches(bearer, row.Token.Hash))
        {
            return TokenResolution.Refused("Unknown token", "the token is not known: it was revoked, or its user deleted; create a new token.");
        }

        var now = time.GetUtcNow();
        if (row.Token.ExpiresAt <= now)
        {
            return TokenResolution.Refused("Token expired", $"the token '{row.Token.Name}' expired at {row.Token.ExpiresAt:u}; create a new token.");
        }

        if (row.Disabled)
        {
            return TokenResolution.Refused("Account disabled", $"the user '{row.Token.User}' is disabled; an admin can enable it again.");
        }

        if (row.Token.LastUsedAt is not { } last || now - last >= TouchInterval)
        {
            await tokens.TouchAsync(id, now, TouchInterval, cancellationToken).ConfigureAwait(false);
        }

        return TokenResolution.Accepted(new Caller { Name = row.Token.User, Role = row.Role, Token = row.Token.Name, ReadOnly = row.Token.ReadOnly, Scope = row.Token.Scope, Address = address });
    }

    private async Task RequireUserAsync(Caller caller, string user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!UserName.IsValid(user))
        {
            throw UserName.Invalid(user, "user");
        }

        if (!caller.MayUse(user) || await users.FindAsync(user, cancellationToken).ConfigureAwait(false) is null)
        {
            throw UserName.NotFound(user);
        }
    }

    private static string ValidateName(string? name) => UserName.IsValid(name) || name is "root" or "system"
        ? name!
        : throw DomainError.Invalid("Invalid token name", $"'{Hosting.ControlCharacters.Visible(name is { Length: > 70 } ? name[..64] + "..." : name)}' (name) is not a valid token name: use 1-63 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen.");

    private static TokenInfo Describe(TokenRecord token) => new()
    {
        Name = token.Name,
        User = token.User,
        ReadOnly = token.ReadOnly,
        Scope = TokenScopes.Text(token.Scope),
        ExpiresAt = token.ExpiresAt,
        CreatedAt = token.CreatedAt,
        LastUsedAt = token.LastUsedAt,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Token {Token} of {User} created (read-only={ReadOnly}, scope={Scope}) by {Caller}")]
    private static partial void LogCreated(ILogger logger, string token, string user, bool readOnly, string scope, string caller);

    [LoggerMessage(Level = LogLevel.Information, Message = "Token {Token} of {User} revoked by {Caller}")]
    private static partial void LogRevoked(ILogger logger, string token, string user, string caller);
}
