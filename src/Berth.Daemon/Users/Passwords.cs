using Berth.Daemon.Api;
using Microsoft.AspNetCore.Identity;

namespace Berth.Daemon.Users;

/// <summary>Password hashing with ASP.NET Core Identity's hasher (PBKDF2-HMAC-SHA512, salted, iterated).</summary>
public static class Passwords
{
    public const int MinimumLength = 8;
    public const int MaximumLength = 1024;

    private static readonly PasswordHasher<object> Hasher = new();
    private static readonly object Owner = new();

    // Checked when the user does not exist or has no password, so such a login takes as long as a real one.
    private static readonly string Decoy = Hasher.HashPassword(Owner, SecretHash.NewSecret());

    public static string Hash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        return Hasher.HashPassword(Owner, password);
    }

    /// <summary>Whether the password matches; a null hash is checked against a decoy and never matches.</summary>
    public static bool Verify(string? hash, string? password)
    {
        var result = Hasher.VerifyHashedPassword(Owner, hash ?? Decoy, password ?? "");
        return hash is not null && password is not null && result != PasswordVerificationResult.Failed;
    }

    /// <summary>Refuses a password too short to resist guessing or too long to hash cheaply.</summary>
    public static string Validate(string? password, string field = "password")
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinimumLength)
        {
            throw BerthProblem.BadRequest("Password too short", $"{field} must have at least {MinimumLength} characters.");
        }

        if (password.Length > MaximumLength)
        {
            throw BerthProblem.BadRequest("Password too long", $"{field} must have at most {MaximumLength} characters.");
        }

        return Hosting.ControlCharacters.Any(password)
            ? throw BerthProblem.BadRequest("Invalid password", $"{field} must not contain control characters (a trailing newline from a file is removed by the CLI).")
            : password;
    }
}
