namespace Berth.Daemon.Backups.Policy;

/// <summary>A backup a <see cref="KeepPolicy"/> keeps, and the rule that keeps it ("last", "hourly", "daily", "weekly", "monthly", "yearly" or "all").</summary>
public sealed record KeptBackup(string Id, DateTimeOffset Time, string Rule);
