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
    public required DateTimeOffset CreatedAt { get; init; }
}
