namespace Berth.Daemon.Updates;

/// <summary>One update run as stored; <see cref="Result"/> is running until it ends.</summary>
public sealed record UpdateRecord(
    string JobId,
    string Container,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    string Result,
    string? Error,
    string? Summary,
    string? Snapshot,
    string LogPath)
{
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string RolledBack = "rolled-back";
    public const string Failed = "failed";
}
