namespace Berth.Contracts;

/// <summary>Answer of enabling TOTP: the otpauth:// URI for an authenticator app, shown this once.</summary>
public sealed record TotpInfo
{
    public required string Uri { get; init; }
}
