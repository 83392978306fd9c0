namespace Berth.Contracts;

/// <summary>Answer of <c>POST /api/v1/backup-targets/{target}/key</c>: the repository's password, for restoring with plain restic.</summary>
public sealed record BackupTargetKey
{
    public required string Target { get; init; }
    public required string Url { get; init; }
    public required string Password { get; init; }
}
