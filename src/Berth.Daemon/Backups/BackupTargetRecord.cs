namespace Berth.Daemon.Backups;

/// <summary>A target's row: its URL, the names of its credentials, and its password and credential values sealed under the host key.</summary>
public sealed record BackupTargetRecord(string Name, string Url, IReadOnlyList<string> EnvKeys, string Sealed, DateTimeOffset CreatedAt);
