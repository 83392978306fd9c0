namespace Berth.Daemon.Backups;

/// <summary>What restic's summary line says of a finished backup.</summary>
public sealed record ResticSummary(string SnapshotId, long Files, long Bytes, long Added);
