namespace Berth.Contracts;

/// <summary>A user's API token, without the token itself.</summary>
public sealed record TokenInfo
{
    public required string Name { get; init; }
    public required string User { get; init; }
    public bool ReadOnly { get; init; }
    /// <summary>full (everything its user may) or metrics (only GET /metrics).</summary>
    public string Scope { get; init; } = "full";
    public DateTimeOffset? ExpiresAt { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>Updated at most once a minute.</summary>
    public DateTimeOffset? LastUsedAt { get; init; }
}
