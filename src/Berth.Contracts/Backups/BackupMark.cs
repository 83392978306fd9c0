namespace Berth.Contracts;

/// <summary>How the last backup action on a container (backup, prune, verify) or a target (check, verify) ended.</summary>
public sealed record BackupMark
{
    /// <summary>When it ended.</summary>
    public required DateTimeOffset Time { get; init; }
    /// <summary>False when it failed; the next successful backup (or check, for a target) clears that.</summary>
    public required bool Ok { get; init; }
    /// <summary>backup, prune, check or verify.</summary>
    public required string Action { get; init; }
    /// <summary>Why it failed.</summary>
    public string? Error { get; init; }
    /// <summary>The target it ran on.</summary>
    public string? Target { get; init; }
    /// <summary>When the last one succeeded, if one ever did.</summary>
    public DateTimeOffset? LastSuccess { get; init; }
}
