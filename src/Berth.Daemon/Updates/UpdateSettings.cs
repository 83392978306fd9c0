using Berth.Daemon.Storage;

namespace Berth.Daemon.Updates;

/// <summary>The update settings in effect for a container: its own updates.* keys, else berthd's defaults.</summary>
public sealed record UpdateSettings(bool Auto, string Every, TimeSpan Period, UpdateWindow Window)
{
    public const string AutoKey = "updates.auto";
    public const string EveryKey = "updates.every";
    public const string WindowKey = "updates.window";

    /// <summary>Read by name: the health check another feature defines, which an update must pass too when it is set.</summary>
    public const string HealthCommandKey = "health.command";

    public static UpdateSettings Of(IReadOnlyDictionary<string, string> config, UpdateOptions options)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        var auto = config.TryGetValue(AutoKey, out var a) ? a == "true" : options.Auto;
        var every = config.TryGetValue(EveryKey, out var e) && Durations.TryParse(e, out _) ? e : options.Every;
        var period = Durations.TryParse(every, out var p) ? p : TimeSpan.FromDays(7);
        var windowText = config.TryGetValue(WindowKey, out var w) ? w : options.Window;
        var window = UpdateWindow.TryParse(windowText, out var parsed) ? parsed : UpdateWindow.Always;
        return new UpdateSettings(auto, every, period, window);
    }

    /// <summary>When the scheduler runs it next: <paramref name="last"/> + the period (now, when it never ran), moved into the window.</summary>
    public DateTimeOffset NextDue(DateTimeOffset? last, DateTimeOffset now)
    {
        var due = last is { } l ? l + Period : now;
        return Window.OpenAtOrAfter(due < now ? now : due);
    }

    public static string? ValidateEvery(string value) =>
        Durations.TryParse(value, out _) ? null : "not a period; write it like 7d, 15d or 12h";

    public static string? ValidateWindow(string value) =>
        UpdateWindow.TryParse(value, out _) ? null : "not a UTC time range; write it like 02:00-05:00 (22:00-02:00 spans midnight)";
}
