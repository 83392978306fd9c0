using System.Globalization;
using System.Text.RegularExpressions;

namespace Berth.Daemon.Health;

/// <summary>Parses the short periods health keys take: 500ms, 10s, 2m, 1h.</summary>
public static partial class HealthDuration
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var match = Pattern().Match(text ?? "");
        if (!match.Success || !int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > 1_000_000)
        {
            return false;
        }

        value = match.Groups[2].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(n),
            "s" => TimeSpan.FromSeconds(n),
            "m" => TimeSpan.FromMinutes(n),
            _ => TimeSpan.FromHours(n),
        };
        return true;
    }

    /// <summary>What is wrong with <paramref name="text"/> as a period from <paramref name="min"/> to <paramref name="max"/>, or null.</summary>
    public static string? Check(string text, TimeSpan min, TimeSpan max) =>
        !TryParse(text, out var value) ? "not a period; write it like 10s, 500ms, 2m or 1h"
        : value < min || value > max ? $"must be from {Show(min)} to {Show(max)}"
        : null;

    private static string Show(TimeSpan span) =>
        span.TotalHours >= 1 && span.TotalHours % 1 == 0 ? $"{span.TotalHours.ToString(CultureInfo.InvariantCulture)}h"
        : span.TotalSeconds >= 1 && span.TotalSeconds % 1 == 0 ? $"{span.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s"
        : $"{span.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms";

    [GeneratedRegex(@"^([0-9]{1,7})(ms|s|m|h)\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
