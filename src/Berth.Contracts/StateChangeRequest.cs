namespace Berth.Contracts;

/// <summary>Body of <c>PUT /api/v1/containers/{name}/state</c>.</summary>
public sealed record StateChangeRequest
{
    /// <summary>One of start, stop, restart, freeze, unfreeze.</summary>
    public required string Action { get; init; }
    /// <summary>For stop and restart: kill at once instead of a graceful shutdown.</summary>
    public bool Force { get; init; }
    /// <summary>For stop and restart: seconds to wait for a graceful shutdown before killing. Default 30.</summary>
    public int? Timeout { get; init; }
}
