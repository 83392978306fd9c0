namespace Berth.Contracts;

/// <summary>Answer of <c>POST /api/v1/stacks/inspect</c>: what a client must send along with the stack files.</summary>
public sealed record StackInspectInfo
{
    public required string Name { get; init; }
    /// <summary>Local paths (relative to the stack file's folder) that bases copy in with files:.</summary>
    public required IReadOnlyList<string> Inputs { get; init; }
    /// <summary>The ${VAR} names the files use, whose values the client sends from its environment.</summary>
    public required IReadOnlyList<string> Variables { get; init; }
}
