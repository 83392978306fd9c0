namespace Berth.Contracts;

/// <summary>A container's unattended updates: what is set, the last run, when the next is due and, when asked, what is pending.</summary>
public sealed record UpdateStatusInfo
{
    public required string Container { get; init; }
    /// <summary>False for a container without apt (e.g. busybox): it cannot be updated by Berth.</summary>
    public required bool Supported { get; init; }
    /// <summary>Why it is not supported, e.g. "not supported (no apt)"; null when it is.</summary>
    public string? Reason { get; init; }
    /// <summary>The effective updates.auto (the container's own, else berthd's default).</summary>
    public required bool Auto { get; init; }
    /// <summary>The effective updates.every, e.g. 15d.</summary>
    public required string Every { get; init; }
    /// <summary>The effective updates.window (UTC, e.g. 02:00-05:00); empty for any time.</summary>
    public required string Window { get; init; }
    public UpdateRunInfo? LastRun { get; init; }
    /// <summary>When the scheduler runs it next (the start of the first window after it is due); null when updates.auto is off or it is not supported.</summary>
    public DateTimeOffset? NextDueAt { get; init; }
    /// <summary>The packages apt would upgrade, read when asked for (pending=true); null when not asked.</summary>
    public IReadOnlyList<PendingUpgradeInfo>? Pending { get; init; }
}
