using System.Security.Cryptography;
using System.Text;

namespace Berth.Daemon.Users;

/// <summary>What is stored in place of a high-entropy secret (token, session id, setup code): its SHA-256, in hex.</summary>
public static class SecretHash
{
    public static string Of(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
    }

    /// <summary>Whether the secret hashes to the stored value, compared in constant time.</summary>
    public static bool Matches(string? secret, string? stored) =>
        secret is not null && stored is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Of(secret)), Encoding.ASCII.GetBytes(stored));

    /// <summary>A fresh random secret, URL-safe.</summary>
    public static string NewSecret(int bytes = 32) => Access.AdminToken.Base64Url(RandomNumberGenerator.GetBytes(bytes));
}
