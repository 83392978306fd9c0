namespace Berth.Contracts;

/// <summary>Body of <c>POST /api/v1/users/{name}/tokens</c>.</summary>
public sealed record TokenCreateRequest
{
    public required string Name { get; init; }
    /// <summary>How long it lasts: 30m, 12h, 90d, 2w; none for no expiry.</summary>
    public string? Expires { get; init; }
    /// <summary>May look but never change anything.</summary>
    public bool ReadOnly { get; init; }
    /// <summary>full (the default) or metrics: a token that may only scrape GET /metrics (admins' tokens only).</summary>
    public string? Scope { get; init; }
}
