namespace Berth.Daemon.Storage;

/// <summary>A snapshot carried in a container archive.</summary>
public sealed record ArchivedSnapshot(string Name, DateTimeOffset CreatedAt);
