using System.Globalization;
using System.Text.RegularExpressions;

namespace Berth.Daemon.Storage;

/// <summary>Parses expiry periods the way users write them: 30m, 12h, 7d, 2w.</summary>
public static partial class Durations
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var match = Pattern().Match(text?.Trim(' ') ?? "");
        if (!match.Success || !int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0 || n > 100_000)
        {
            return false;
        }

        value = match.Groups[2].Value switch
        {
            "m" => TimeSpan.FromMinutes(n),
            "h" => TimeSpan.FromHours(n),
            "d" => TimeSpan.FromDays(n),
            _ => TimeSpan.FromDays(7 * n),
        };
        return true;
    }

    [GeneratedRegex(@"^([0-9]+)([mhdw])\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
