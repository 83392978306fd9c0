namespace Berth.Contracts;

/// <summary>A stack as <c>GET /api/v1/stacks/{name}</c> answers: its containers, state, health, addresses and forwards.</summary>
public sealed record StackInfo
{
    public required string Name { get; init; }
    public string? Owner { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public required IReadOnlyList<StackContainerInfo> Containers { get; init; }
    /// <summary>The containers bases (cached, stopped) that stack containers are copied from.</summary>
    public IReadOnlyList<string> Bases { get; init; } = [];
    public IReadOnlyList<string> Networks { get; init; } = [];
}
