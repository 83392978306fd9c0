using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Berth.Daemon.Users;

/// <summary>Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP): HMAC-SHA1, 30-second steps, 6 digits.</summary>
public static class Totp
{
    public const int Digits = 6;
    public const int SecretBytes = 20;
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    /// <summary>Steps either side of now that are still accepted, for clocks a little apart.</summary>
    private const int Drift = 1;

    public static byte[] NewSecret() => RandomNumberGenerator.GetBytes(SecretBytes);

    public static long StepAt(DateTimeOffset time) => time.ToUnixTimeSeconds() / (long)Step.TotalSeconds;

    /// <summary>The code for one time step (RFC 4226 section 5.3: dynamic truncation of the HMAC).</summary>
    public static string Code(byte[] secret, long step, int digits = Digits)
    {
        ArgumentNullException.ThrowIfNull(secret);
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        Span<byte> hash = stackalloc byte[HMACSHA1.HashSizeInBytes];
        HMACSHA1.HashData(secret, counter, hash);
        var offset = hash[^1] & 0x0f;
        var binary = (BinaryPrimitives.ReadInt32BigEndian(hash[offset..]) & 0x7fffffff) % (int)Math.Pow(10, digits);
        return binary.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0');
    }

    /// <summary>The time step whose code this is (within the drift around now), or null. Every candidate is compared, in constant time.</summary>
    public static long? Match(byte[] secret, string? code, DateTimeOffset now)
    {
        var given = Encoding.ASCII.GetBytes((code ?? "").Trim().Replace(" ", "", StringComparison.Ordinal));
        var current = StepAt(now);
        long? matched = null;
        for (var step = current - Drift; step <= current + Drift; step++)
        {
            if (CryptographicOperations.FixedTimeEquals(given, Encoding.ASCII.GetBytes(Code(secret, step))))
            {
                matched ??= step;
            }
        }

        return matched;
    }

    /// <summary>The otpauth:// URI authenticator apps read (Google's Key Uri Format).</summary>
    public static string Uri(string issuer, string account, byte[] secret)
    {
        var label = System.Uri.EscapeDataString(issuer) + ":" + System.Uri.EscapeDataString(account);
        return $"otpauth://totp/{label}?secret={Base32.Encode(secret)}&issuer={System.Uri.EscapeDataString(issuer)}&algorithm=SHA1&digits={Digits.ToString(CultureInfo.InvariantCulture)}&period={((int)Step.TotalSeconds).ToString(CultureInfo.InvariantCulture)}";
    }
}
