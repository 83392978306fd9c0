namespace Berth.Contracts;

/// <summary>Body of <c>POST /api/v1/containers/{name}/backups/verify</c> and <c>POST /api/v1/backup-targets/{target}/verify</c>.</summary>
public sealed record BackupVerifyRequest
{
    /// <summary>For a container: pick only among its backups on this target; default: any of its backups.</summary>
    public string? Target { get; init; }
}
