namespace Berth.Daemon.Users;

/// <summary>A user's API token as stored: only the SHA-256 of the token, never the token.</summary>
public sealed record TokenRecord
{
    /// <summary>The public part of the token (berth_ID_SECRET), so a token is found without comparing hashes by index.</summary>
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string User { get; init; }

    public required string Hash { get; init; }

    public bool ReadOnly { get; init; }

    public Access.TokenScope Scope { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? LastUsedAt { get; init; }
}
