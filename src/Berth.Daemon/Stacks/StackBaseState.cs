namespace Berth.Daemon.Stacks;

/// <summary>A built base: the stopped container holding it and the hash of its definition and inputs.</summary>
public sealed record StackBaseState(string Container, string Hash);
