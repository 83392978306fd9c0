namespace Berth.Contracts;

/// <summary>
/// The first message of the console websocket (<c>GET /api/v1/containers/{name}/console</c>), a text message: the
/// session's id, to reattach with <c>session=ID</c> after the connection drops, and whether this connection reattached.
/// </summary>
public sealed record ConsoleHello
{
    /// <summary>A random 128-bit token (base64url), valid only for the caller that opened the session.</summary>
    public required string Session { get; init; }

    public bool Reattached { get; init; }

    /// <summary>How long the session waits for a reattach once its connection drops, in seconds.</summary>
    public int GraceSeconds { get; init; }
}
