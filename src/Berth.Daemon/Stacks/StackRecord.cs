namespace Berth.Daemon.Stacks;

/// <summary>A stack as the store holds it.</summary>
public sealed record StackRecord(string Name, string? Owner, StackState State, DateTimeOffset UpdatedAt);
