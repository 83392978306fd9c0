using System.Globalization;

namespace Berth.Daemon.Health;

/// <summary>A container's health and restart keys, read from its stored configuration (already validated).</summary>
public sealed record HealthSettings
{
    public const int OnFailureMax = 10;

    /// <summary>Run inside the container as /bin/sh -c COMMAND; exit status 0 means healthy. Null: no checks.</summary>
    public string? Command { get; init; }
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);
    public int Retries { get; init; } = 3;
    public TimeSpan StartPeriod { get; init; }
    public RestartPolicy Policy { get; init; }
    /// <summary>Restarts in a row (without a calm spell between them) before Berth gives up; null: never gives up.</summary>
    public int? Max { get; init; }

    /// <summary>Whether Berth has anything to watch in the container.</summary>
    public bool Watched => Command is not null || Policy != RestartPolicy.No;

    public static HealthSettings From(IReadOnlyDictionary<string, string> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var policy = HealthKeys.ParsePolicy(config.GetValueOrDefault(HealthKeys.Policy)) ?? RestartPolicy.No;
        int? max = config.TryGetValue(HealthKeys.Max, out var m) && int.TryParse(m, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
        return new HealthSettings
        {
            Command = config.TryGetValue(HealthKeys.Command, out var command) && command.Length > 0 ? command : null,
            Interval = Period(config, HealthKeys.Interval, TimeSpan.FromSeconds(10)),
            Timeout = Period(config, HealthKeys.Timeout, TimeSpan.FromSeconds(5)),
            Retries = config.TryGetValue(HealthKeys.Retries, out var r) && int.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out var retries) ? retries : 3,
            StartPeriod = Period(config, HealthKeys.StartPeriod, TimeSpan.Zero),
            Policy = policy,
            Max = max ?? (policy == RestartPolicy.OnFailure ? OnFailureMax : null),
        };
    }

    private static TimeSpan Period(IReadOnlyDictionary<string, string> config, string key, TimeSpan fallback) =>
        config.TryGetValue(key, out var text) && HealthDuration.TryParse(text, out var value) ? value : fallback;
}
