namespace Berth.Daemon.Stacks;

/// <summary>The supervised service of a stack container: a command (run with sh -c), the user it runs as, whether it is restarted when it ends.</summary>
public sealed record StackServiceDefinition(string Command, string? User, bool Restart);
