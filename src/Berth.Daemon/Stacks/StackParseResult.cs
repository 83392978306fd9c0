namespace Berth.Daemon.Stacks;

/// <summary>What reading stack files gave: the definition when there was no error, every error otherwise, and the variables used.</summary>
public sealed record StackParseResult(StackDefinition? Definition, IReadOnlyList<string> Errors, IReadOnlyList<string> Variables);
