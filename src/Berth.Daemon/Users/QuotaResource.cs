using System.Globalization;
using Berth.Daemon.Containers;

namespace Berth.Daemon.Users;

/// <summary>
/// What a quota can limit: counts of a member's objects, and sums of their containers' limits.* keys (a container
/// without the key counts as unbounded, so under such a quota every container of the member must set it).
/// </summary>
public sealed record QuotaResource(string Name, string? ConfigKey, bool Bytes, string Description)
{
    public static readonly QuotaResource Containers = new("containers", null, false, "containers the user owns");
    public static readonly QuotaResource Memory = new("memory", ContainerConfig.LimitsMemory, true, "sum of their containers' limits.memory");
    public static readonly QuotaResource Cpu = new("cpu", ContainerConfig.LimitsCpu, false, "sum of the CPUs in their containers' limits.cpu");
    public static readonly QuotaResource Disk = new("disk", ContainerConfig.LimitsDisk, true, "sum of their containers' limits.disk");
    public static readonly QuotaResource Processes = new("processes", ContainerConfig.LimitsProcesses, false, "sum of their containers' limits.processes");
    public static readonly QuotaResource Forwards = new("forwards", null, false, "port forwards to their containers (SSH ports aside)");
    public static readonly QuotaResource Ssh = new("ssh", null, false, "SSH ports of their containers");
    public static readonly QuotaResource Snapshots = new("snapshots", null, false, "snapshots of their containers");
    public static readonly QuotaResource Routes = new("routes", null, false, "proxy routes (domain and path) to their containers");
    public static readonly QuotaResource Backups = new("backups", null, false, "backups of their containers, on every target");

    public static readonly QuotaResource Networks = new("networks", null, false, "networks the user owns");

    /// <summary>Every resource, in the order they are shown.</summary>
    public static IReadOnlyList<QuotaResource> All { get; } = [Containers, Memory, Cpu, Disk, Processes, Forwards, Ssh, Snapshots, Backups, Routes, Networks];

    public static QuotaResource? Find(string name) => All.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.Ordinal));

    /// <summary>The amount a container's configuration takes of this resource; null when it sets no such limit (unbounded).</summary>
    public long? AmountOf(IReadOnlyDictionary<string, string> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (ConfigKey is null || !config.TryGetValue(ConfigKey, out var value))
        {
            return null;
        }

        if (Bytes)
        {
            return ByteSize.TryParse(value, out var bytes) ? bytes : null;
        }

        if (ConfigKey == ContainerConfig.LimitsCpu)
        {
            return CpuSet.TryParse(value, out var cpus) ? cpus.Count : null;
        }

        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;
    }

    /// <summary>Reads a limit as an admin writes it: a size (2GiB) for memory and disk, a whole number otherwise; 0 allows none.</summary>
    public bool TryParseLimit(string text, out long limit)
    {
        limit = 0;
        var value = text?.Trim() ?? "";
        if (Bytes)
        {
            return value == "0" || ByteSize.TryParse(value, out limit);
        }

        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit <= 1_000_000_000;
    }

    /// <summary>An amount as people read it: 1.5GiB for sizes, the number otherwise.</summary>
    public string Format(long amount)
    {
        if (!Bytes || amount < 1024)
        {
            return amount.ToString(CultureInfo.InvariantCulture);
        }

        string[] units = ["KiB", "MiB", "GiB", "TiB"];
        var value = amount / 1024d;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture) + units[unit];
    }
}
