namespace Berth.Daemon.Stacks;

/// <summary>A files: entry: a local file or folder (relative to the stack file) copied to an absolute path in the base.</summary>
public sealed record StackFileCopy(string Destination, string Source);
