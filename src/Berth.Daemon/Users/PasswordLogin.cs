using Berth.Daemon.Access;

namespace Berth.Daemon.Users;

/// <summary>Checks a user's name, password and TOTP code. An unknown name costs the same hash as a known one.</summary>
public sealed class PasswordLogin(UserStore users, TimeProvider time)
{
    public async Task<(LoginOutcome Outcome, string? User, Role Role)> VerifyAsync(string? name, string? password, string? code, CancellationToken cancellationToken)
    {
        var user = UserName.IsValid(name) ? await users.FindAsync(name!, cancellationToken).ConfigureAwait(false) : null;
        if (!Passwords.Verify(user?.PasswordHash, password) || user is null)
        {
            return (LoginOutcome.Wrong, null, Role.Member);
        }

        if (user.TotpSecret is { } secret)
        {
            if (string.IsNullOrWhiteSpace(code))
            {
                return (LoginOutcome.CodeRequired, null, Role.Member);
            }

            if (Totp.Match(Base32.Decode(secret), code, time.GetUtcNow()) is not { } step
                || !await users.TryUseTotpStepAsync(user.Name, step, cancellationToken).ConfigureAwait(false))
            {
                return (LoginOutcome.WrongCode, null, Role.Member);
            }
        }

        return user.Disabled ? (LoginOutcome.Disabled, null, Role.Member) : (LoginOutcome.Accepted, user.Name, user.Role);
    }
}
