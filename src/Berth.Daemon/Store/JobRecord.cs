using Berth.Contracts;

namespace Berth.Daemon.Store;

/// <summary>A job as persisted: enough to run it again after a restart or to undo what it had half-done.</summary>
public sealed record JobRecord
{
    public required string Id { get; init; }
    public required string Kind { get; init; }
    public required string Target { get; init; }
    public required JobStatus Status { get; init; }
    /// <summary>The job's arguments as JSON.</summary>
    public required string Args { get; init; }
    public string? Progress { get; init; }
    public string? Error { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    /// <summary>The user whose request started it; null for root and the daemon's own jobs. Members see only theirs.</summary>
    public string? RequestedBy { get; init; }

    public JobInfo ToInfo() => new()
    {
        Id = Id,
        Kind = Kind,
        Target = Target,
        Status = Status,
        Progress = Progress,
        Error = Error,
        CreatedAt = CreatedAt,
        StartedAt = StartedAt,
        FinishedAt = FinishedAt,
        DurationSeconds = StartedAt is { } s && FinishedAt is { } f ? Math.Round((f - s).TotalSeconds, 3) : null,
    };
}
