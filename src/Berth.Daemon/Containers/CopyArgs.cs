namespace Berth.Daemon.Containers;

/// <summary>Arguments of container.copy and container.import jobs.</summary>
public sealed record CopyArgs
{
    public required string Target { get; init; }
    public string? Source { get; init; }
    public string? Snapshot { get; init; }
    public string? File { get; init; }
    public string? Pool { get; init; }
    /// <summary>An import that keeps the archive's machine id and SSH host keys (restoring the same container).</summary>
    public bool KeepIdentity { get; init; }
    /// <summary>A restore from a backup: the restic snapshot and the target holding it.</summary>
    public string? Backup { get; init; }
    public string? BackupTarget { get; init; }
    /// <summary>An import of an archive sent as the request body: its transfer file goes when the job ends.</summary>
    public bool Upload { get; init; }
}
