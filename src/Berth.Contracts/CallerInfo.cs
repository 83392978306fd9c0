namespace Berth.Contracts;

/// <summary>Answer of <c>GET /api/v1/auth/whoami</c>: who the daemon takes the request's sender for.</summary>
public sealed record CallerInfo
{
    /// <summary>The user's name; "root" for the Unix socket and the admin token.</summary>
    public required string Name { get; init; }
    /// <summary>"admin" or "member".</summary>
    public required string Role { get; init; }
    /// <summary>Root on the host, which is no user and cannot own tokens.</summary>
    public bool Root { get; init; }
    public string? Token { get; init; }
    public bool ReadOnly { get; init; }
}
