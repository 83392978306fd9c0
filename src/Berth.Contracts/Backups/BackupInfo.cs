namespace Berth.Contracts;

/// <summary>One backup: a restic snapshot of a container (or of Berth's own database) in a target.</summary>
public sealed record BackupInfo
{
    /// <summary>restic's short snapshot id.</summary>
    public required string Id { get; init; }
    /// <summary>Null for a backup of Berth's own database.</summary>
    public string? Container { get; init; }
    public string? Owner { get; init; }
    public required string Target { get; init; }
    public required DateTimeOffset Time { get; init; }
    /// <summary>Bytes of the tree backed up (null when unknown: found in a repository another host wrote).</summary>
    public long? SizeBytes { get; init; }
    public long? Files { get; init; }
    /// <summary>True for a backup of Berth's own database.</summary>
    public bool System { get; init; }
}
