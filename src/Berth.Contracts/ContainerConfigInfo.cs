namespace Berth.Contracts;

/// <summary>The effective configuration of a container: Berth's keys (set and default) and the LXC configuration rendered from them.</summary>
public sealed record ContainerConfigInfo
{
    public required string Name { get; init; }
    /// <summary>Keys the user set.</summary>
    public required IReadOnlyDictionary<string, string> Config { get; init; }
    /// <summary>Every known key with its effective value (set or default).</summary>
    public required IReadOnlyDictionary<string, string> Effective { get; init; }
    /// <summary>The LXC configuration file Berth wrote for the container.</summary>
    public required string LxcConfig { get; init; }
}
