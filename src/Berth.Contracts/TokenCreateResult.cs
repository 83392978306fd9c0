namespace Berth.Contracts;

/// <summary>Answer of creating a token: the only time the token itself is shown (only its hash is stored).</summary>
public sealed record TokenCreateResult
{
    public required TokenInfo Info { get; init; }
    /// <summary>Send it as 'Authorization: Bearer TOKEN'.</summary>
    public required string Token { get; init; }
}
