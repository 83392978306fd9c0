using System.Globalization;

namespace Berth.Daemon.Health;

/// <summary>The configuration keys of health checks and restarts, with their validation (listed in ContainerConfig.Keys).</summary>
public static class HealthKeys
{
    public const string Command = "health.command";
    public const string Interval = "health.interval";
    public const string Timeout = "health.timeout";
    public const string Retries = "health.retries";
    public const string StartPeriod = "health.start-period";
    public const string Policy = "restart.policy";
    public const string Max = "restart.max";

    public static string? CheckCommand(string value) =>
        value.Length == 0 ? "must not be empty; unset the key to stop checking" : null;

    public static string? CheckInterval(string value) => HealthDuration.Check(value, TimeSpan.FromSeconds(1), TimeSpan.FromHours(24));

    public static string? CheckTimeout(string value) => HealthDuration.Check(value, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));

    public static string? CheckStartPeriod(string value) => HealthDuration.Check(value, TimeSpan.Zero, TimeSpan.FromHours(24));

    public static string? CheckRetries(string value) => Whole(value, 1, 1000);

    public static string? CheckMax(string value) => Whole(value, 1, 1_000_000);

    public static string? CheckPolicy(string value) =>
        ParsePolicy(value) is null ? "must be no, on-failure or always" : null;

    public static RestartPolicy? ParsePolicy(string? value) => value switch
    {
        "no" or "" or null => RestartPolicy.No,
        "on-failure" => RestartPolicy.OnFailure,
        "always" => RestartPolicy.Always,
        _ => null,
    };

    private static string? Whole(string value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? null
            : $"must be a whole number from {min} to {max}";
}
