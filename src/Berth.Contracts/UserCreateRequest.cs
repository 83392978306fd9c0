namespace Berth.Contracts;

/// <summary>Body of <c>POST /api/v1/users</c>. Without a password the answer carries a one-time setup code.</summary>
public sealed record UserCreateRequest
{
    public required string Name { get; init; }
    /// <summary>"admin" or "member".</summary>
    public required string Role { get; init; }
    public string? Password { get; init; }
}
