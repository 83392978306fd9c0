namespace Berth.Daemon.Backups;

/// <summary>Arguments of backup jobs.</summary>
public sealed record BackupArgs
{
    public string? Container { get; init; }
    public required string Target { get; init; }
    /// <summary>The restic snapshot a restore reads (its full id).</summary>
    public string? Backup { get; init; }
    /// <summary>The owner the backup row keeps (the container's, when it was taken).</summary>
    public string? Owner { get; init; }
    /// <summary>A single path of the backed-up tree to restore, and the host directory it goes into.</summary>
    public string? Path { get; init; }
    public string? To { get; init; }
    /// <summary>Keep rules (backups.keep) applied after a scheduled backup: the container's other backups on the target they leave out are forgotten and pruned.</summary>
    public string? Keep { get; init; }
    /// <summary>Whether the backup is free of the owner's backups quota (an admin asked for it); scheduled backups are not.</summary>
    public bool QuotaExempt { get; init; }
    /// <summary>A check's restic --read-data-subset (10% or 1/5); null checks the structure only.</summary>
    public string? ReadDataSubset { get; init; }

    /// <summary>A rotating check: read the next of this many parts (the target's check counter says which).</summary>
    public int? ReadDataParts { get; init; }
}
