namespace Berth.Daemon.Storage;

/// <summary>A snapshot as the store holds it.</summary>
public sealed record SnapshotRecord(string Container, string Name, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);
