namespace Berth.Contracts;

/// <summary>A durable job: every mutating call creates one and answers 202 with its URL.</summary>
public sealed record JobInfo
{
    public required string Id { get; init; }
    /// <summary>What the job does, e.g. container.launch, container.stop, image.build.</summary>
    public required string Kind { get; init; }
    /// <summary>What it acts on, e.g. the container's name.</summary>
    public required string Target { get; init; }
    public required JobStatus Status { get; init; }
    /// <summary>Latest progress message of a long job, e.g. "debootstrap: unpacking base system".</summary>
    public string? Progress { get; init; }
    public string? Error { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public double? DurationSeconds { get; init; }
    /// <summary>The URL of the job itself.</summary>
    public string Url => $"/api/v1/jobs/{Id}";
}
