using System.Globalization;
using Berth.Daemon.Api;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Containers;

/// <summary>The configuration keys Berth knows, their validation and defaults.</summary>
public static class ContainerConfig
{
    public const string LimitsMemory = "limits.memory";
    public const string LimitsMemorySwap = "limits.memory.swap";
    public const string LimitsCpu = "limits.cpu";
    public const string LimitsCpuWeight = "limits.cpu.weight";
    public const string LimitsProcesses = "limits.processes";
    public const string BootAutostart = "boot.autostart";
    public const string BootAutostartOrder = "boot.autostart.order";
    public const string BootAutostartDelay = "boot.autostart.delay";
    public const string SecurityPrivileged = "security.privileged";
    public const string LimitsDisk = "limits.disk";
    public const string SnapshotsSchedule = "snapshots.schedule";
    public const string SnapshotsExpiry = "snapshots.expiry";

    private const int MaxValueLength = 256;

    public static IReadOnlyDictionary<string, ConfigKey> Keys { get; } = new ConfigKey[]
    {
        new(LimitsMemory, "", "memory limit, e.g. 256MiB", Size),
        new(LimitsMemorySwap, "", "swap allowed beyond limits.memory, e.g. 512MiB", Size),
        new(LimitsCpu, "", "CPUs the container may use, e.g. 0,1 or 0-3", CpuList),
        new(LimitsCpuWeight, "100", "relative CPU weight, 1-10000", v => Integer(v, 1, 10000)),
        new(LimitsProcesses, "", "maximum number of processes", v => Integer(v, 1, 4_194_304)),
        new(BootAutostart, "false", "start when the host boots", Boolean),
        new(BootAutostartOrder, "0", "lower starts first and stops last", v => Integer(v, -1_000_000, 1_000_000)),
        new(BootAutostartDelay, "0", "seconds to wait after starting it before the next", v => Integer(v, 0, 3600)),
        new(SecurityPrivileged, "false", "run without a user namespace (root in the container is root on the host)", Boolean, LaunchOnly: true),
        new(LimitsDisk, "", "disk space the root filesystem may use, e.g. 2GiB (btrfs pools)", Size),
        new(SnapshotsSchedule, "", "when to snapshot automatically: @hourly, @daily, @weekly or a cron expression (UTC)", v => Storage.CronSchedule.TryParse(v, out _) ? null : "not a schedule; write @daily, @hourly, @weekly or a cron expression like 0 3 * * *"),
        new(SnapshotsExpiry, "", "how long scheduled snapshots are kept, e.g. 7d", v => Storage.Durations.TryParse(v, out _) ? null : "not a period; write it like 12h, 7d or 2w"),
        new(Backups.BackupService.TargetKey, "", "the backup target its backups go to (berth backup target list)", v => ContainerName.IsValid(v) ? null : "not a target name; 'berth backup target list' shows them"),
        new(Backups.BackupScheduler.ScheduleKey, "", "when to back up automatically: @daily or a cron expression (UTC); default berthd --backup-schedule", v => Storage.CronSchedule.TryParse(v, out _) ? null : "not a schedule; write @daily, @hourly, @weekly or a cron expression like 0 3 * * *"),
        new(BindMounts.Key, "", "host directories bind-mounted in at the next start, HOST:PATH[:ro] separated by commas (admins only)", v => BindMounts.TryParse(v, out var error) is null ? error : null),
        new(Updates.UpdateSettings.AutoKey, "", "update it unattended (snapshot, apt dist-upgrade, health check, rollback): true or false; default berthd --updates-auto", Boolean),
        new(Updates.UpdateSettings.EveryKey, "", "how long after its last update it is due again, e.g. 15d; default berthd --updates-every (7d)", Updates.UpdateSettings.ValidateEvery),
        new(Updates.UpdateSettings.WindowKey, "", "when (UTC) its unattended updates may run, e.g. 02:00-05:00; default berthd --updates-window (any time)", Updates.UpdateSettings.ValidateWindow),
        new(Backups.BackupScheduler.KeepKey, "", "which scheduled backups are kept, e.g. last=3,daily=7,weekly=4; default berthd --backup-keep", v => Backups.Policy.KeepPolicy.TryParse(v, out _, out var error) ? null : error),
        new(Health.HealthKeys.Command, "", "a command run inside the container (sh -c) whose exit status 0 means healthy", Health.HealthKeys.CheckCommand),
        new(Health.HealthKeys.Interval, "10s", "how often health.command runs, e.g. 10s or 1m", Health.HealthKeys.CheckInterval),
        new(Health.HealthKeys.Timeout, "5s", "how long one health.command run may take before it counts as failed", Health.HealthKeys.CheckTimeout),
        new(Health.HealthKeys.Retries, "3", "failed health.command runs in a row that make the container unhealthy", Health.HealthKeys.CheckRetries),
        new(Health.HealthKeys.StartPeriod, "0s", "time after a start during which failed health checks do not count", Health.HealthKeys.CheckStartPeriod),
        new(Health.HealthKeys.Policy, "no", "restart it when its init ends without Berth stopping it or it turns unhealthy: no, on-failure or always", Health.HealthKeys.CheckPolicy),
        new(Health.HealthKeys.Max, "", "restarts in a row before Berth gives up (on-failure: 10 unless set; always: no limit unless set)", Health.HealthKeys.CheckMax),
    }.ToDictionary(k => k.Name, StringComparer.Ordinal);

    /// <summary>
    /// Applies <paramref name="set"/> and <paramref name="unset"/> to <paramref name="current"/> and returns the result, or throws a 400
    /// problem naming every bad key and value. <paramref name="atLaunch"/> allows launch-only keys.
    /// </summary>
    public static Dictionary<string, string> Apply(
        IReadOnlyDictionary<string, string> current,
        IReadOnlyDictionary<string, string>? set,
        IReadOnlyList<string>? unset,
        bool atLaunch,
        HostCgroups cgroups)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(cgroups);
        var errors = new List<string>();
        var result = new Dictionary<string, string>(current, StringComparer.Ordinal);

        foreach (var key in unset ?? [])
        {
            if (!Keys.TryGetValue(key, out var definition))
            {
                errors.Add($"unknown key '{Hosting.ControlCharacters.Visible(Shorten(key))}' (known keys: {string.Join(", ", Keys.Keys)})");
            }
            else if (definition.LaunchOnly && !atLaunch)
            {
                errors.Add($"'{key}' can only be chosen at launch");
            }
            else
            {
                result.Remove(key);
            }
        }

        foreach (var (key, rawValue) in set ?? new Dictionary<string, string>())
        {
            var value = rawValue?.Trim() ?? "";
            if (!Keys.TryGetValue(key, out var definition))
            {
                errors.Add($"unknown key '{Hosting.ControlCharacters.Visible(Shorten(key))}' (known keys: {string.Join(", ", Keys.Keys)})");
            }
            else if (Hosting.ControlCharacters.Any(rawValue) || value.Length > MaxValueLength)
            {
                // Values are rendered into LXC's line-based configuration: a line break would add a line of its own.
                errors.Add($"{key}={Hosting.ControlCharacters.Visible(Shorten(rawValue))}: {(value.Length > MaxValueLength ? $"longer than {MaxValueLength} characters" : "control characters (newlines, tabs, NUL) are not allowed")}");
            }
            else if (definition.LaunchOnly && !atLaunch)
            {
                errors.Add($"'{key}' can only be chosen at launch");
            }
            else if (definition.Validate(value) is { } problem)
            {
                errors.Add($"{key}={Shorten(rawValue)}: {problem}");
            }
            else
            {
                result[key] = definition.Validate == Boolean ? value.ToLowerInvariant() : value;
            }
        }

        if (result.ContainsKey(LimitsMemorySwap) && !result.ContainsKey(LimitsMemory))
        {
            errors.Add($"{LimitsMemorySwap} needs {LimitsMemory} to be set too");
        }

        if (result.ContainsKey(LimitsMemorySwap) && !cgroups.SwapAccounting && set?.ContainsKey(LimitsMemorySwap) == true)
        {
            errors.Add($"{LimitsMemorySwap}: this host's kernel does not account swap (cgroup v1 without memsw); boot it with swapaccount=1");
        }

        if (errors.Count > 0)
        {
            throw DomainError.Invalid("Invalid configuration", string.Join("; ", errors) + ".");
        }

        return result;
    }

    /// <summary>Every known key with the value in effect: the one set, else the default.</summary>
    public static SortedDictionary<string, string> Effective(IReadOnlyDictionary<string, string> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in Keys.Values)
        {
            result[key.Name] = config.TryGetValue(key.Name, out var value) ? value : key.Default;
        }

        return result;
    }

    public static bool IsTrue(IReadOnlyDictionary<string, string> config, string key) =>
        config.TryGetValue(key, out var value) && value == "true";

    public static int IntOrDefault(IReadOnlyDictionary<string, string> config, string key) =>
        int.Parse(config.TryGetValue(key, out var value) ? value : Keys[key].Default, CultureInfo.InvariantCulture);

    private static string Shorten(string? text) => text is { Length: > 80 } ? text[..80] + "..." : text ?? "";

    private static string? Size(string value) =>
        ByteSize.TryParse(value, out _) ? null : "not a size; write it like 256MiB, 1GiB or a number of bytes";

    private static string? Boolean(string value) =>
        value.ToLowerInvariant() is "true" or "false" ? null : "must be true or false";

    private static string? Integer(string value, long min, long max) =>
        long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? null
            : $"must be a whole number from {min} to {max}";

    private static string? CpuList(string value)
    {
        if (!CpuSet.TryParse(value, out var cpus))
        {
            return "not a CPU list; write it like 0, 0,1 or 0-3";
        }

        var available = Environment.ProcessorCount;
        var missing = cpus.Where(c => c >= available).ToList();
        return missing.Count == 0 ? null : $"this host has CPUs 0-{available - 1}, not {string.Join(",", missing)}";
    }
}
