namespace Berth.Contracts;

/// <summary>What a host network apply does (or, for a dry run, would do), one line per change; empty: no change.</summary>
public sealed record HostPlanInfo
{
    public required IReadOnlyList<string> Changes { get; init; }
    /// <summary>True when the changes were made (false for a dry run and when there was nothing to do).</summary>
    public bool Applied { get; init; }
}
