using System.Globalization;

namespace Berth.Cli.Output;

/// <summary>Timestamps in the local time zone, to the second, sortable.</summary>
internal static class HumanTime
{
    public static string Format(DateTimeOffset time) =>
        time.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Format(DateTimeOffset? time) => time is { } value ? Format(value) : "-";
}
