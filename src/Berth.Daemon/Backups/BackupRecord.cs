namespace Berth.Daemon.Backups;

/// <summary>A backup's row: the restic snapshot, what it is of, who owns it (kept when the container goes) and its size.</summary>
public sealed record BackupRecord
{
    public required string Target { get; init; }
    public required string Id { get; init; }
    public string ShortId => Id[..8];
    public string? Container { get; init; }
    public string? Owner { get; init; }
    public bool System { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public long? SizeBytes { get; init; }
    public long? Files { get; init; }
}
