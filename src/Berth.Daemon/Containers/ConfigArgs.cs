namespace Berth.Daemon.Containers;

/// <summary>Arguments of a container.config job: the whole new configuration, already validated.</summary>
public sealed record ConfigArgs(string Name, IReadOnlyDictionary<string, string> Config);
