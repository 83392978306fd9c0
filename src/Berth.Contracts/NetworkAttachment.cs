namespace Berth.Contracts;

/// <summary>One of a container's interfaces at launch: a managed network and, optionally, its static IPv4 address there.</summary>
public sealed record NetworkAttachment
{
    public required string Name { get; init; }
    /// <summary>A static IPv4 address from the network's subnet; null: the lowest free one.</summary>
    public string? Ip { get; init; }
}
