namespace Berth.Daemon.Backups;

/// <summary>The restic tags that mark Berth's snapshots, so a repository's listing finds them per container.</summary>
public static class BackupTags
{
    /// <summary>Every container backup.</summary>
    public const string Container = "berth";

    /// <summary>Backups of Berth's own database.</summary>
    public const string System = "berth-system";
}
