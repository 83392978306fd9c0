namespace Berth.Contracts;

/// <summary>A one-time code that sets a user's password (<c>POST /api/v1/auth/setup</c> or the panel's login page); shown once.</summary>
public sealed record SetupCodeInfo
{
    public required string Code { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    /// <summary>The panel page that redeems it, when the daemon listens on HTTP.</summary>
    public string? Url { get; init; }
}
