namespace Berth.Daemon.Backups;

/// <summary>One snapshot as <c>restic snapshots --json</c> lists it.</summary>
public sealed record ResticSnapshot(string Id, DateTimeOffset Time, string Host, IReadOnlyList<string> Tags)
{
    /// <summary>The value of a tag NAME=VALUE, or null.</summary>
    public string? Tag(string name) => Tags.FirstOrDefault(t => t.StartsWith(name + "=", StringComparison.Ordinal))?[(name.Length + 1)..];
}
