namespace Berth.Daemon.Backups;

/// <summary>What a target keeps secret: the repository password and the values of its credentials.</summary>
public sealed record BackupTargetSecrets
{
    public required string Password { get; init; }
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();
    /// <summary>sftp: the private key, the port; s3/rest: the CA certificate restic trusts (written to a private file per run).</summary>
    public string? SshKey { get; init; }
    public int? SshPort { get; init; }
    public string? CaCert { get; init; }
}
