namespace Berth.Daemon.Metrics;

/// <summary>Host-wide numbers for /metrics: pools, containers, jobs, proxy and backups.</summary>
public sealed record HostReading
{
    public required IReadOnlyList<(string Pool, long SizeBytes, long UsedBytes)> Pools { get; init; }
    public required IReadOnlyDictionary<string, long> JobsByStatus { get; init; }
    public required long ProxyRoutes { get; init; }

    /// <summary>Days until each proxy certificate expires (negative once it has).</summary>
    public required IReadOnlyList<(string Name, double DaysLeft)> Certificates { get; init; }

    /// <summary>Backups by status, or null when this Berth has no backups table yet.</summary>
    public IReadOnlyDictionary<string, long>? BackupsByStatus { get; init; }

    /// <summary>How the last backup action of each container or target ended, and when one last succeeded (Unix seconds).</summary>
    public IReadOnlyList<(string Kind, string Subject, bool Ok, double? LastSuccess)> BackupMarks { get; init; } = [];
}
