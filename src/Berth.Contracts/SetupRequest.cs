namespace Berth.Contracts;

/// <summary>Body of <c>POST /api/v1/auth/setup</c>: a setup code and the password it sets.</summary>
public sealed record SetupRequest
{
    public required string Code { get; init; }
    public required string Password { get; init; }
}
