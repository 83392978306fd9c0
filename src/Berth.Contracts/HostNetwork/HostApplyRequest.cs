namespace Berth.Contracts;

/// <summary>Body of <c>POST /api/v1/host/network/apply</c>.</summary>
public sealed record HostApplyRequest
{
    /// <summary>The host network file's text (YAML with a <c>bridges:</c> map).</summary>
    public required string File { get; init; }
    /// <summary>Only compute and return the plan; change nothing.</summary>
    public bool DryRun { get; init; }
    /// <summary>Allow enslaving an interface that carries the host's default route (it loses its addresses to the bridge).</summary>
    public bool Force { get; init; }
}
