namespace Berth.Contracts;

/// <summary>A user, without any secret.</summary>
public sealed record UserInfo
{
    public required string Name { get; init; }
    /// <summary>"admin" or "member".</summary>
    public required string Role { get; init; }
    public bool Disabled { get; init; }
    /// <summary>False while the one-time setup code has not been redeemed.</summary>
    public bool HasPassword { get; init; }
    /// <summary>Whether logging in needs a TOTP code.</summary>
    public bool Totp { get; init; }
    /// <summary>When the pending setup code stops working, if one is pending.</summary>
    public DateTimeOffset? SetupExpiresAt { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}
