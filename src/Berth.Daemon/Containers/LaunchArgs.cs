namespace Berth.Daemon.Containers;

/// <summary>Arguments of a container.launch job.</summary>
public sealed record LaunchArgs(string Name, string Image, bool Start, string? Storage = null);
