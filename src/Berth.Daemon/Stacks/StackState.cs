namespace Berth.Daemon.Stacks;

/// <summary>What the last successful <c>up</c> made real: the definition it applied and the bases it built for it.</summary>
public sealed record StackState
{
    public required StackDefinition Definition { get; init; }

    /// <summary>Base key to the base it built.</summary>
    public required IReadOnlyDictionary<string, StackBaseState> Bases { get; init; }
}
