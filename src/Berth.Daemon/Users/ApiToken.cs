using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Berth.Daemon.Users;

/// <summary>The text of a user token: berth_ID_SECRET, where ID finds the row and only SHA-256(token) is stored.</summary>
public static partial class ApiToken
{
    public const string Prefix = "berth_";

    public static (string Id, string Token) New()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        return (id, $"{Prefix}{id}_{SecretHash.NewSecret()}");
    }

    /// <summary>The id of something shaped like a user token, or null.</summary>
    public static string? IdOf(string? token)
    {
        var match = Shape().Match(token ?? "");
        return match.Success ? match.Groups[1].Value : null;
    }

    [GeneratedRegex(@"^berth_([0-9a-f]{16})_[A-Za-z0-9_-]{43}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
