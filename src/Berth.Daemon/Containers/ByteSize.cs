using System.Globalization;
using System.Text.RegularExpressions;

namespace Berth.Daemon.Containers;

/// <summary>Parses sizes the way users write them: 256MiB, 1GiB, 512MB, 1048576.</summary>
public static partial class ByteSize
{
    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        if (text is null || Hosting.ControlCharacters.Any(text))
        {
            return false;
        }

        var match = Pattern().Match(text.Trim());
        if (!match.Success || !decimal.TryParse(match.Groups[1].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        decimal multiplier = match.Groups[2].Value.ToUpperInvariant() switch
        {
            "" or "B" => 1,
            "KB" => 1000m,
            "MB" => 1000m * 1000,
            "GB" => 1000m * 1000 * 1000,
            "TB" => 1000m * 1000 * 1000 * 1000,
            "KIB" or "K" => 1024m,
            "MIB" or "M" => 1024m * 1024,
            "GIB" or "G" => 1024m * 1024 * 1024,
            "TIB" or "T" => 1024m * 1024 * 1024 * 1024,
            _ => 0,
        };
        // Checked before multiplying: a product beyond decimal's range would throw instead of refusing.
        if (multiplier == 0 || number > long.MaxValue / multiplier)
        {
            return false;
        }

        var value = number * multiplier;
        if (value < 1)
        {
            return false;
        }

        bytes = (long)value;
        return true;
    }

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?) *([A-Za-z]*)\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
