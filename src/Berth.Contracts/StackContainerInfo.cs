namespace Berth.Contracts;

/// <summary>One container of a stack, as <c>berth ps</c> shows it.</summary>
public sealed record StackContainerInfo
{
    /// <summary>Its key in the stack file (and its name on the stack's network), e.g. web.</summary>
    public required string Name { get; init; }
    /// <summary>The container's own name, STACK-NAME.</summary>
    public required string Container { get; init; }
    public required ContainerStatus Status { get; init; }
    /// <summary>healthy, unhealthy, starting, or none without a healthcheck.</summary>
    public required string Health { get; init; }
    public string? Ipv4 { get; init; }
    /// <summary>Port forwards, HOST:CONTAINER/PROTOCOL.</summary>
    public IReadOnlyList<string> Forwards { get; init; } = [];
}
