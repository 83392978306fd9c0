using System.Globalization;
using System.Text.RegularExpressions;

namespace Berth.Daemon.Consoles;

/// <summary>Settings of the container console, bound from Berth:Console (--console-grace).</summary>
public sealed partial class ConsoleOptions
{
    /// <summary>How long a session whose websocket dropped waits for a reattach: 60s, 5m (or a TimeSpan). Default 60s.</summary>
    public string Grace { get; set; } = "60s";

    /// <summary>How long a send to a client may block before the client is dropped (its session waits for a reattach). Default 10 s.</summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Sessions one caller may hold at once, attached or waiting for a reattach. Default 8.</summary>
    public int MaxPerCaller { get; set; } = 8;

    /// <summary>Output kept per session for a reattach to replay. Default 64 KiB.</summary>
    public int BufferBytes { get; set; } = 64 * 1024;

    /// <summary>The grace as a period; throws with the switch's name when it is not one.</summary>
    public TimeSpan GracePeriod =>
        Pattern().Match(Grace ?? "") is { Success: true } match && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 86_400
            ? match.Groups[2].Value == "m" ? TimeSpan.FromMinutes(n) : TimeSpan.FromSeconds(n)
            : TimeSpan.TryParse(Grace, CultureInfo.InvariantCulture, out var period) && period > TimeSpan.Zero && period <= TimeSpan.FromDays(1)
                ? period
                : throw new ArgumentException($"--console-grace {Grace}: expected a period such as 60s or 5m (at most a day)");

    public void Validate()
    {
        _ = GracePeriod;
        if (StallTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"--Berth:Console:StallTimeout {StallTimeout}: expected a positive interval such as 00:00:10");
        }

        if (MaxPerCaller < 1 || BufferBytes < 4096)
        {
            throw new ArgumentException("--Berth:Console:MaxPerCaller must be at least 1 and --Berth:Console:BufferBytes at least 4096");
        }
    }

    [GeneratedRegex(@"^([0-9]+)([sm])\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
