using Berth.Daemon.Access;

namespace Berth.Daemon.Users;

/// <summary>A user as stored. The secrets in it (hashes, the TOTP key) never leave the daemon.</summary>
public sealed record UserRecord
{
    public required string Name { get; init; }

    public required Role Role { get; init; }

    /// <summary>ASP.NET Core Identity's PBKDF2 hash; null until a password is set (a setup code is pending then).</summary>
    public string? PasswordHash { get; init; }

    /// <summary>The TOTP key in base32; null when the account has no second factor.</summary>
    public string? TotpSecret { get; init; }

    /// <summary>The last TOTP time step a login used, so a code works once.</summary>
    public long? TotpLastStep { get; init; }

    public bool Disabled { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>SHA-256 of the one-time setup code that sets the first password.</summary>
    public string? SetupHash { get; init; }

    public DateTimeOffset? SetupExpiresAt { get; init; }
}
