namespace Berth.Contracts;

/// <summary>One event on <c>GET /api/v1/events</c> (server-sent events; the SSE id is <see cref="Seq"/>).</summary>
public sealed record BerthEvent
{
    /// <summary>Strictly increasing within one daemon run.</summary>
    public required long Seq { get; init; }
    /// <summary>"lifecycle" or "job".</summary>
    public required string Type { get; init; }
    /// <summary>e.g. container.started, container.deleted, job.running, job.succeeded.</summary>
    public required string Action { get; init; }
    public required string Target { get; init; }
    public required DateTimeOffset Time { get; init; }
    public string? JobId { get; init; }
    public string? Message { get; init; }
}
