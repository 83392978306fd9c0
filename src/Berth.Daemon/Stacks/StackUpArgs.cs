namespace Berth.Daemon.Stacks;

/// <summary>Arguments of a stack.up job: the checked definition, and who asked (the job acts as them, within their quota).</summary>
public sealed record StackUpArgs
{
    public required string Stack { get; init; }
    public required StackDefinition Definition { get; init; }
    public required StackCallerArgs Caller { get; init; }
}
