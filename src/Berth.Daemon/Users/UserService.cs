using Berth.Contracts;
using Berth.Daemon.Access;
using Berth.Daemon.Api;
using Berth.Daemon.Hosting;
using Microsoft.Extensions.Options;

namespace Berth.Daemon.Users;

/// <summary>
/// Users, their passwords and second factor. Admins manage everyone; a member sees and changes only itself, and any
/// other name answers 404 as if it did not exist. No answer ever carries a stored secret.
/// </summary>
public sealed partial class UserService(UserStore users, SessionStore sessions, TimeProvider time, IOptions<BerthOptions> options, ILogger<UserService> logger)
{
    public static readonly TimeSpan SetupLifetime = TimeSpan.FromHours(24);

    public async Task<IReadOnlyList<UserInfo>> ListAsync(Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return [.. (await users.ListAsync(cancellationToken).ConfigureAwait(false)).Where(u => caller.MayUse(u.Name)).Select(Describe)];
    }

    public async Task<UserInfo> GetAsync(Caller caller, string name, CancellationToken cancellationToken) =>
        Describe(await FindVisibleAsync(caller, name, cancellationToken).ConfigureAwait(false));

    public async Task<UserSetupResult> CreateAsync(Caller caller, UserCreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequireAdmin(caller, "create users");
        var name = UserName.Validate(request.Name);
        var role = ParseRole(request.Role);
        var hash = request.Password is null ? null : Passwords.Hash(Passwords.Validate(request.Password));
        var now = time.GetUtcNow();
        var (setup, setupHash) = hash is null ? NewSetup(name, now) : (null, null);
        var user = new UserRecord { Name = name, Role = role, PasswordHash = hash, CreatedAt = now, SetupHash = setupHash, SetupExpiresAt = setup?.ExpiresAt };
        if (!await users.TryInsertAsync(user, cancellationToken).ConfigureAwait(false))
        {
            throw BerthProblem.Conflict("User exists", $"there is a user named '{name}' already; choose another name.");
        }

        LogCreated(logger, name, UserStore.RoleText(role), caller.Name);
        return new UserSetupResult { User = Describe(user), Setup = setup };
    }

    public async Task<UserInfo> SetDisabledAsync(Caller caller, string name, bool disabled, CancellationToken cancellationToken)
    {
        RequireAdmin(caller, disabled ? "disable users" : "enable users");
        var user = await FindVisibleAsync(caller, name, cancellationToken).ConfigureAwait(false);
        await users.SetDisabledAsync(user.Name, disabled, cancellationToken).ConfigureAwait(false);
        LogDisabled(logger, user.Name, disabled, caller.Name);
        return Describe(user with { Disabled = disabled });
    }

    /// <summary>Deletes a user with its tokens and sessions; returns it as it was.</summary>
    public async Task<UserInfo> DeleteAsync(Caller caller, string name, CancellationToken cancellationToken)
    {
        RequireAdmin(caller, "delete users");
        var user = await FindVisibleAsync(caller, name, cancellationToken).ConfigureAwait(false);
        if (string.Equals(user.Name, caller.Name, StringComparison.Ordinal) && !caller.IsRoot)
        {
            throw BerthProblem.Conflict("Deleting yourself", $"'{user.Name}' is the account this request comes from; another admin (or root on the host) may delete it.");
        }

        if (!await users.DeleteAsync(user.Name, cancellationToken).ConfigureAwait(false))
        {
            throw BerthProblem.Conflict("User owns objects", $"'{user.Name}' still owns containers or networks; delete them or give them another owner first.");
        }

        LogDeleted(logger, user.Name, caller.Name);
        return Describe(user);
    }

    /// <summary>Sets a new password, or with none replaces the password by a setup code; either way the user's browsers are logged out.</summary>
    public async Task<UserSetupResult> SetPasswordAsync(Caller caller, string name, PasswordRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequireWritable(caller);
        var user = await FindVisibleAsync(caller, name, cancellationToken).ConfigureAwait(false);
        var hash = request.Password is null ? null : Passwords.Hash(Passwords.Validate(request.Password));
        var (setup, setupHash) = hash is null ? NewSetup(user.Name, time.GetUtcNow()) : (null, null);
        await users.SetPasswordAsync(user.Name, hash, setupHash, setup?.ExpiresAt, cancellationToken).ConfigureAwait(false);
        await sessions.DeleteForUserAsync(user.Name, cancellationToken).ConfigureAwait(false);
        LogPasswordChanged(logger, user.Name, caller.Name);
        return new UserSetupResult { User = Describe(user with { PasswordHash = hash, SetupHash = setupHash, SetupExpiresAt = setup?.ExpiresAt }), Setup = setup };
    }

    /// <summary>Gives the account a new TOTP key (replacing any old one); the URI holding it is answered this once.</summary>
    public async Task<TotpInfo> EnableTotpAsync(Caller caller, string name, CancellationToken cancellationToken)
    {
        RequireWritable(caller);
        var user = await FindVisibleAsync(caller, name, cancellationToken).ConfigureAwait(false);
        var secret = Totp.NewSecret();
        await users.SetTotpAsync(user.Name, Base32.Encode(secret), cancellationToken).ConfigureAwait(false);
        LogTotp(logger, user.Name, true, caller.Name);
        return new TotpInfo { Uri = Totp.Uri("Berth", user.Name, secret) };
    }

    public async Task<UserInfo> DisableTotpAsync(Caller caller, string name, CancellationToken cancellationToken)
    {
        RequireWritable(caller);
        var user = await FindVisibleAsync(caller, name, cancellationToken).ConfigureAwait(false);
        await users.SetTotpAsync(user.Name, null, cancellationToken).ConfigureAwait(false);
        LogTotp(logger, user.Name, false, caller.Name);
        return Describe(user with { TotpSecret = null });
    }

    /// <summary>Sets the password a setup code was made for; the code works once and for <see cref="SetupLifetime"/>.</summary>
    public async Task<UserInfo> RedeemSetupAsync(SetupRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var wrong = BerthProblem.BadRequest("Invalid setup code", "the setup code is wrong, used already or expired; ask an admin for a new one.");
        var dot = request.Code?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (dot <= 0 || !UserName.IsValid(request.Code![..dot]))
        {
            throw wrong;
        }

        var password = Passwords.Validate(request.Password);
        var now = time.GetUtcNow();
        var user = await users.FindAsync(request.Code[..dot], cancellationToken).ConfigureAwait(false);
        if (user is null || !SecretHash.Matches(request.Code, user.SetupHash) || user.SetupExpiresAt <= now
            || !await users.RedeemSetupAsync(user.Name, user.SetupHash!, Passwords.Hash(password), now, cancellationToken).ConfigureAwait(false))
        {
            throw wrong;
        }

        LogPasswordChanged(logger, user.Name, user.Name);
        return Describe(user with { SetupHash = null, SetupExpiresAt = null, PasswordHash = "set" });
    }

    /// <summary>The user, if this caller may see it; else the same 404 a name nobody has gets.</summary>
    private async Task<UserRecord> FindVisibleAsync(Caller caller, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!UserName.IsValid(name))
        {
            throw UserName.Invalid(name);
        }

        var user = caller.MayUse(name) ? await users.FindAsync(name, cancellationToken).ConfigureAwait(false) : null;
        return user ?? throw UserName.NotFound(name);
    }

    private (SetupCodeInfo Setup, string Hash) NewSetup(string name, DateTimeOffset now)
    {
        var code = $"{name}.{SecretHash.NewSecret(18)}";
        var url = options.Value.Http is { Length: > 0 } http ? $"http://{http}/#setup={code}" : null;
        return (new SetupCodeInfo { Code = code, ExpiresAt = now + SetupLifetime, Url = url }, SecretHash.Of(code));
    }

    internal static void RequireAdmin(Caller caller, string what)
    {
        ArgumentNullException.ThrowIfNull(caller);
        RequireWritable(caller);
        if (!caller.IsAdmin)
        {
            throw new BerthProblem(StatusCodes.Status403Forbidden, "Admins only", $"only admins may {what}.");
        }
    }

    internal static void RequireWritable(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.ReadOnly)
        {
            throw new BerthProblem(StatusCodes.Status403Forbidden, "Read-only token", $"the token '{caller.Token}' may only read; create one without read-only to make changes.");
        }
    }

    private static Role ParseRole(string? role) => role switch
    {
        "admin" => Role.Admin,
        "member" => Role.Member,
        _ => throw BerthProblem.BadRequest("Invalid role", $"'{Hosting.ControlCharacters.Visible(role)}' (role) is not a role: use admin or member."),
    };

    public static UserInfo Describe(UserRecord user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new()
        {
            Name = user.Name,
            Role = UserStore.RoleText(user.Role),
            Disabled = user.Disabled,
            HasPassword = user.PasswordHash is not null,
            Totp = user.TotpSecret is not null,
            SetupExpiresAt = user.SetupHash is null ? null : user.SetupExpiresAt,
            CreatedAt = user.CreatedAt,
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {Name} created with role {Role} by {Caller}")]
    private static partial void LogCreated(ILogger logger, string name, string role, string caller);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {Name} disabled={Disabled} by {Caller}")]
    private static partial void LogDisabled(ILogger logger, string name, bool disabled, string caller);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {Name} deleted by {Caller}")]
    private static partial void LogDeleted(ILogger logger, string name, string caller);

    [LoggerMessage(Level = LogLevel.Information, Message = "Password of {Name} changed by {Caller}")]
    private static partial void LogPasswordChanged(ILogger logger, string name, string caller);

    [LoggerMessage(Level = LogLevel.Information, Message = "TOTP of {Name} enabled={Enabled} by {Caller}")]
    private static partial void LogTotp(ILogger logger, string name, bool enabled, string caller);
}
