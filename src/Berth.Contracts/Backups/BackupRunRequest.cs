namespace Berth.Contracts;

/// <summary>Body of <c>POST /api/v1/containers/{name}/backups</c> and <c>POST /api/v1/backups/system</c>.</summary>
public sealed record BackupRunRequest
{
    /// <summary>Default: the container's backups.target, else the only target there is.</summary>
    public string? Target { get; init; }
}
