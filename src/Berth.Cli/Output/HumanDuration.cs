using System.Globalization;

namespace Berth.Cli.Output;

/// <summary>Durations the way a person reads them: 0.4s, 12.3s, 3m05s, 2h04m, 3d04h.</summary>
internal static class HumanDuration
{
    public static string Format(double seconds)
    {
        if (double.IsNaN(seconds) || double.IsInfinity(seconds))
        {
            return "-";
        }

        seconds = Math.Max(0, seconds);
        double tenths = Math.Round(seconds, 1, MidpointRounding.AwayFromZero);
        if (tenths < 60)
        {
            return tenths.ToString("0.0", CultureInfo.InvariantCulture) + "s";
        }

        long total = (long)Math.Round(seconds, MidpointRounding.AwayFromZero);
        return total switch
        {
            < 3600 => Invariant($"{total / 60}m{total % 60:00}s"),
            < 86400 => Invariant($"{total / 3600}h{total % 3600 / 60:00}m"),
            _ => Invariant($"{total / 86400}d{total % 86400 / 3600:00}h"),
        };
    }

    public static string Format(TimeSpan duration) => Format(duration.TotalSeconds);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
