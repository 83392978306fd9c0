namespace Berth.Daemon.Containers;

/// <summary>One configuration key users may set on a container (names as in Incus).</summary>
/// <param name="Validate">Returns what is wrong with a value, or null when it is acceptable.</param>
/// <param name="LaunchOnly">Can only be chosen when the container is created.</param>
public sealed record ConfigKey(string Name, string Default, string Description, Func<string, string?> Validate, bool LaunchOnly = false);
