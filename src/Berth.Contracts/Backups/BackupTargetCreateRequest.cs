namespace Berth.Contracts;

/// <summary>Body of <c>POST /api/v1/backup-targets</c>: a restic repository Berth backs up to.</summary>
public sealed record BackupTargetCreateRequest
{
    public required string Name { get; init; }
    /// <summary>local:/path (or /path), sftp:user@host:/path, rest:http(s)://host:port/path or s3:http(s)://host/bucket.</summary>
    public required string Url { get; init; }
    /// <summary>Credentials restic reads from its environment (AWS_ACCESS_KEY_ID, RESTIC_REST_USERNAME, ...); stored encrypted, never shown again.</summary>
    public IReadOnlyDictionary<string, string>? Env { get; init; }
    /// <summary>The recovery password of an existing repository (one another Berth host created); default: a new repository with a random password.</summary>
    public string? Password { get; init; }
    /// <summary>sftp: the private key ssh logs in with (its PEM/OpenSSH text, no passphrase); stored encrypted, never shown again.</summary>
    public string? SshKey { get; init; }
    /// <summary>sftp: the ssh port when it is not 22.</summary>
    public int? SshPort { get; init; }
    /// <summary>s3 and rest over https: PEM CA certificate(s) to trust for the server, passed to restic as --cacert.</summary>
    public string? CaCert { get; init; }
}
