namespace Berth.Daemon.Stacks;

/// <summary>A stack file, parsed and checked: what <c>up</c> makes real. Containers are in start order.</summary>
public sealed record StackDefinition
{
    public required string Name { get; init; }

    public required IReadOnlyList<StackNetwork> Networks { get; init; }

    public required IReadOnlyList<StackBase> Bases { get; init; }

    public required IReadOnlyList<StackContainer> Containers { get; init; }

    /// <summary>Local paths (relative to the stack file) that bases copy in.</summary>
    public IReadOnlyList<string> Inputs => [.. Bases.SelectMany(b => b.Files).Select(f => f.Source).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>The container object (STACK-KEY) of a container key.</summary>
    public string ContainerName(string key) => $"{Name}-{key}";
}
