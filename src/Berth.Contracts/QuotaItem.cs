namespace Berth.Contracts;

/// <summary>One resource of a quota: containers, memory, cpu, disk, processes, forwards, ssh, snapshots or routes.</summary>
public sealed record QuotaItem
{
    public required string Resource { get; init; }
    /// <summary>"bytes" for memory and disk, "count" otherwise.</summary>
    public required string Unit { get; init; }
    /// <summary>The most the user's objects may take; null when unlimited.</summary>
    public long? Limit { get; init; }
    /// <summary>What they take now; null when a container sets no such limit (see <see cref="UnboundedBy"/>).</summary>
    public long? Used { get; init; }
    /// <summary>The container whose missing limits.* key makes the usage unbounded.</summary>
    public string? UnboundedBy { get; init; }
}
