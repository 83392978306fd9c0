namespace Berth.Daemon.Stacks;

/// <summary>A network the stack creates: its key in the file, the Berth network (bridge) it becomes, its subnet.</summary>
public sealed record StackNetwork(string Key, string Bridge, string Subnet, bool Nat);
