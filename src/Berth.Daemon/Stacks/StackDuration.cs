using System.Globalization;
using System.Text.RegularExpressions;

namespace Berth.Daemon.Stacks;

/// <summary>Durations as compose files write them: 500ms, 2s, 1m, 1h (a bare number is seconds).</summary>
public static partial class StackDuration
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var match = Pattern().Match(text ?? "");
        if (!match.Success || !int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > 86_400_000)
        {
            return false;
        }

        value = match.Groups[2].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(n),
            "m" => TimeSpan.FromMinutes(n),
            "h" => TimeSpan.FromHours(n),
            _ => TimeSpan.FromSeconds(n),
        };
        return value <= TimeSpan.FromDays(1);
    }

    [GeneratedRegex(@"^([0-9]{1,9})(ms|s|m|h)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
