namespace Berth.Contracts;

/// <summary>Body of <c>POST /api/v1/backups/{backup}/restore</c>.</summary>
public sealed record BackupRestoreRequest
{
    /// <summary>The container to restore into; default: the one backed up (it must be stopped, or no longer exist).</summary>
    public string? Container { get; init; }
    /// <summary>Restore into a new container of this name instead (a fresh address lease).</summary>
    public string? As { get; init; }
    /// <summary>The network of the new container's first interface (with <see cref="As"/> or when the container no longer exists).</summary>
    public string? Network { get; init; }
    public string? Ip { get; init; }
    /// <summary>Restore only this absolute path of the container's tree (a file or directory).</summary>
    public string? Path { get; init; }
    /// <summary>With <see cref="Path"/>: an existing host directory to restore it into (admins only); without it, into the container itself.</summary>
    public string? To { get; init; }
}
