namespace Berth.Contracts;

/// <summary>A backup target as the API shows it: never its password or the values of its credentials.</summary>
public sealed record BackupTargetInfo
{
    public required string Name { get; init; }
    public required string Url { get; init; }
    /// <summary>local, sftp, rest or s3.</summary>
    public required string Kind { get; init; }
    /// <summary>The names of the environment variables set for it (their values stay secret).</summary>
    public IReadOnlyList<string> EnvKeys { get; init; } = [];
    /// <summary>Whether an ssh private key is set (sftp); the key itself is never shown.</summary>
    public bool SshKeySet { get; init; }
    /// <summary>The ssh port, when one other than 22 is set (sftp).</summary>
    public int? SshPort { get; init; }
    /// <summary>Whether a CA certificate restic trusts is set (rest, s3).</summary>
    public bool CaCertSet { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>How its last check or verify ended; null when it had none.</summary>
    public BackupMark? LastCheck { get; init; }
    /// <summary>How many scheduled or asked-for checks read part of the data: the next reads part (this mod N)+1 of N.</summary>
    public long ChecksRun { get; init; }
}
