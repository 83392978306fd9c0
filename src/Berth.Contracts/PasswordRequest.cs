namespace Berth.Contracts;

/// <summary>Body of <c>PUT /api/v1/users/{name}/password</c>: the new password, or none to replace it by a one-time setup code.</summary>
public sealed record PasswordRequest
{
    public string? Password { get; init; }
}
