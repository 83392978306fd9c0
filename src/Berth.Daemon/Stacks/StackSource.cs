namespace Berth.Daemon.Stacks;

/// <summary>A stack file as the client sent it: the name it has on the client (for error messages) and its text.</summary>
public sealed record StackSource(string File, string Text);
