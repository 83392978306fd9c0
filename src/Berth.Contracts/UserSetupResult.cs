namespace Berth.Contracts;

/// <summary>Answer of creating a user or changing a password: the user, and the setup code when no password was given.</summary>
public sealed record UserSetupResult
{
    public required UserInfo User { get; init; }
    public SetupCodeInfo? Setup { get; init; }
}
