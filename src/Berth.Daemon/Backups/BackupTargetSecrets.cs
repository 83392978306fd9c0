namespace Berth.Daemon.Backups;

/// <summary>What a target keeps secret: the repository password and the values of its credentials.</summary>
public sealed record BackupTargetSecrets
{
    public required string Password { get; init; }
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();
}
