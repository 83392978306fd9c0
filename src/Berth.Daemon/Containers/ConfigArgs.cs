namespace Berth.Daemon.Containers;

/// <summary>Arguments of a container.config job: the whole new configuration, already validated, and a new owner when one was given.</summary>
public sealed record ConfigArgs(string Name, IReadOnlyDictionary<string, string> Config, OwnerChange? Owner = null);
