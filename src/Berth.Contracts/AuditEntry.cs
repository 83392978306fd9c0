namespace Berth.Contracts;

/// <summary>One record of <c>GET /api/v1/audit</c>: a mutating request or exec session, who made it and how it ended.</summary>
public sealed record AuditEntry
{
    public required string Id { get; init; }
    public required DateTimeOffset At { get; init; }
    /// <summary>The caller ("root" for the Unix socket and the admin token); for a login, the account name tried; null when unauthenticated.</summary>
    public string? User { get; init; }
    /// <summary>The name of the token used (e.g. admin.token), never the token itself.</summary>
    public string? Token { get; init; }
    /// <summary>The client's IP address, or "socket" for the Unix socket.</summary>
    public string? Address { get; init; }
    public required string Method { get; init; }
    /// <summary>The request path, without the query string.</summary>
    public required string Path { get; init; }
    /// <summary>What was asked for, e.g. container.launch, forward.add, container.exec, auth.login.</summary>
    public required string Action { get; init; }
    /// <summary>What it acted on: the route's values (web1, web1/tcp/8080) or the job's target.</summary>
    public string? Target { get; init; }
    /// <summary>The HTTP status answered (202 for an accepted job, 101 for an exec session, 4xx for a refusal).</summary>
    public required int Status { get; init; }
    public string? JobId { get; init; }
    /// <summary>Why it was refused (the problem's title), or the job's kind when it says more than the action.</summary>
    public string? Detail { get; init; }
}
