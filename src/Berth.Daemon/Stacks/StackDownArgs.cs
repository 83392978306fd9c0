namespace Berth.Daemon.Stacks;

/// <summary>Arguments of stack.down and stack.restart jobs.</summary>
public sealed record StackDownArgs
{
    public required string Stack { get; init; }
    public required StackCallerArgs Caller { get; init; }
    /// <summary>down: keep the stopped containers (and their data), deleting nothing.</summary>
    public bool KeepData { get; init; }
    /// <summary>restart: the container key to restart (its dependents follow); null for all.</summary>
    public string? Container { get; init; }
}
