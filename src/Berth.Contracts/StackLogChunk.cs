namespace Berth.Contracts;

/// <summary>Part of a stack container's service output, from <see cref="Offset"/>; ask again from <see cref="Next"/> to follow it.</summary>
public sealed record StackLogChunk
{
    public required string Text { get; init; }
    public long Offset { get; init; }
    public long Next { get; init; }
}
