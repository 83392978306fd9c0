namespace Berth.Cli.Remotes;

/// <summary>The remotes.json document: the remotes by name, and the one commands use when no other is chosen.</summary>
internal sealed record RemoteConfig
{
    /// <summary>The remote <c>berth remote use</c> chose, or null for the local Unix socket.</summary>
    public string? Current { get; init; }

    public Dictionary<string, Remote> Remotes { get; init; } = new(StringComparer.Ordinal);
}
