using System.Globalization;

namespace Berth.Daemon.Metrics;

/// <summary>Settings of the metrics history, bound from Berth:Metrics (--metrics-interval).</summary>
public sealed class MetricsOptions
{
    /// <summary>How often the history takes a point: 60s, 1m, 1s (tests). Default 60s.</summary>
    public string Interval { get; set; } = "60s";

    /// <summary>The interval as a period; throws with the switch's name when it is not one.</summary>
    public TimeSpan IntervalPeriod =>
        TryParse(Interval, out var period) ? period : throw new ArgumentException($"--metrics-interval {Interval}: expected seconds or minutes from 1s to 1h, such as 60s or 1m");

    public void Validate() => _ = IntervalPeriod;

    /// <summary>"10s", "1m", "1h" as a period between one second and one hour.</summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (text is not { Length: >= 2 } || !int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0)
        {
            return false;
        }

        value = text[^1] switch
        {
            's' => TimeSpan.FromSeconds(n),
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            _ => TimeSpan.Zero,
        };
        return value >= TimeSpan.FromSeconds(1) && value <= TimeSpan.FromHours(1);
    }
}
