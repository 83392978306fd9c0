namespace Berth.Daemon.Audit;

/// <summary>One recorded request: who made it, what it asked for, on what, and how it ended.</summary>
public sealed record AuditRecord
{
    public required string Id { get; init; }

    public required DateTimeOffset At { get; init; }

    /// <summary>The caller's name ("root" for the socket and the admin token); the name tried for a login; null when unauthenticated.</summary>
    public string? User { get; init; }

    /// <summary>The name of the token the request came with, never its value.</summary>
    public string? Token { get; init; }

    public string? Address { get; init; }

    public required string Method { get; init; }

    /// <summary>The request path without its query string (which could carry a secret).</summary>
    public required string Path { get; init; }

    /// <summary>What was asked for, e.g. container.launch, forward.add, auth.login.</summary>
    public required string Action { get; init; }

    public string? Target { get; init; }

    public required int Status { get; init; }

    public string? JobId { get; init; }

    /// <summary>The problem's title when the request was refused, or the job's kind when it says more than the action.</summary>
    public string? Detail { get; init; }
}
