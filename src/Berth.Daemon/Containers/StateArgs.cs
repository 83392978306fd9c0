namespace Berth.Daemon.Containers;

/// <summary>Arguments of start, stop, restart, freeze, unfreeze and delete jobs.</summary>
public sealed record StateArgs(string Name, bool Force, int? Timeout);
