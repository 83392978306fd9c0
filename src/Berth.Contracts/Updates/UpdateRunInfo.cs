namespace Berth.Contracts;

/// <summary>One update of a container: when it ran, how it ended, the snapshot taken before it and its log.</summary>
public sealed record UpdateRunInfo
{
    /// <summary>The update.run job.</summary>
    public required string JobId { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    /// <summary>succeeded, rolled-back (the upgrade or the health check failed, the snapshot was restored) or failed (the rollback failed too).</summary>
    public required string Result { get; init; }
    /// <summary>What went wrong, for a run that did not succeed.</summary>
    public string? Error { get; init; }
    /// <summary>apt's summary line, e.g. "1 upgraded, 0 newly installed, 0 to remove and 0 not upgraded."</summary>
    public string? Summary { get; init; }
    /// <summary>The snapshot taken before the update; kept after a successful one until the next succeeds (then removed).</summary>
    public string? Snapshot { get; init; }
    /// <summary>The host path of the run's log (admins only; GET .../updates/log shows it to anyone who may see the container).</summary>
    public string? LogPath { get; init; }
}
