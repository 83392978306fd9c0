using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Berth.Daemon.Access;

/// <summary>
/// Browsers that have logged in to an account before. A successful login leaves a signed, HttpOnly device cookie; a
/// later login carrying it is not held back by the failures of others (see <see cref="LoginThrottle"/>), so a guesser
/// on the same address cannot even delay the owner's usual browser. The signature is keyed by the admin token, so
/// replacing the token forgets every device.
/// </summary>
public sealed class LoginDevices(AdminToken token, TimeProvider time)
{
    public const string CookieName = "berth_device";
    public const string CookiePath = "/api/v1/auth";
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(90);

    private readonly byte[] _key = token.DeriveKey("berth login device");

    /// <summary>A fresh cookie value naming the account and when it stops being valid.</summary>
    public string Issue(string account, out DateTimeOffset expires)
    {
        ArgumentNullException.ThrowIfNull(account);
        expires = time.GetUtcNow() + Lifetime;
        var payload = $"{AdminToken.Base64Url(Encoding.UTF8.GetBytes(account))}.{expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}.{AdminToken.Base64Url(RandomNumberGenerator.GetBytes(16))}";
        return payload + "." + Sign(payload);
    }

    /// <summary>The device's id when the cookie is one this daemon issued for the account and it has not expired, else null.</summary>
    public string? Recognise(string? cookie, string account)
    {
        ArgumentNullException.ThrowIfNull(account);
        var parts = cookie?.Split('.');
        if (parts is not { Length: 4 } || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            return null;
        }

        var payload = string.Join('.', parts[..3]);
        var signed = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(payload)), Encoding.ASCII.GetBytes(parts[3]));
        return signed && parts[0] == AdminToken.Base64Url(Encoding.UTF8.GetBytes(account)) && expires > time.GetUtcNow().ToUnixTimeSeconds()
            ? parts[2]
            : null;
    }

    private string Sign(string payload) => AdminToken.Base64Url(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(payload)));
}
