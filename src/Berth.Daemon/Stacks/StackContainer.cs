namespace Berth.Daemon.Stacks;

/// <summary>A container of a stack, as the file describes it.</summary>
public sealed record StackContainer
{
    public required string Key { get; init; }

    /// <summary>The base it is copied from; null when it starts from <see cref="Image"/>.</summary>
    public string? Base { get; init; }

    public string? Image { get; init; }

    /// <summary>The key of its network in the stack; null for the daemon's default network.</summary>
    public string? Network { get; init; }

    public StackServiceDefinition? Service { get; init; }

    public StackHealthcheck? Healthcheck { get; init; }

    /// <summary>Container key to condition: started, healthy or completed.</summary>
    public IReadOnlyDictionary<string, string> DependsOn { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> Env { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>HOST:CONTAINER/PROTOCOL port forwards.</summary>
    public IReadOnlyList<string> Forwards { get; init; } = [];

    /// <summary>Host directories bind-mounted in, HOST:PATH[:ro] (admins' stacks only); a change restarts the container.</summary>
    public IReadOnlyList<string> Volumes { get; init; } = [];

    /// <summary>The config a container gets: its limits and autostart, and its volumes when it has any.</summary>
    public IReadOnlyDictionary<string, string> ConfigWithVolumes => Volumes.Count == 0
        ? Config
        : new SortedDictionary<string, string>(Config.ToDictionary(), StringComparer.Ordinal) { [Containers.BindMounts.Key] = string.Join(',', Volumes) };

    /// <summary>Domain routes through the proxy to this container.</summary>
    public IReadOnlyList<StackRoute> Routes { get; init; } = [];

    /// <summary>Berth config keys from limits: and autostart: (limits.memory, boot.autostart.order, ...).</summary>
    public IReadOnlyDictionary<string, string> Config { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
}
