namespace Berth.Daemon.Backups;

/// <summary>The backups feature's job kinds.</summary>
public static class BackupJobKinds
{
    public const string Run = "backup.run";
    public const string System = "backup.system";
    public const string Restore = "backup.restore";
    public const string Check = "backup.check";
    /// <summary>A restore test: one backup restored into a scratch directory and compared with restic's listing of it.</summary>
    public const string Verify = "backup.verify";
    /// <summary>One backup forgotten, its row removed and the target pruned.</summary>
    public const string Delete = "backup.delete";

    /// <summary>The job target of a check: a target's name behind a prefix no container name has.</summary>
    public static string CheckTarget(string target) => "backup-target:" + target;
    /// <summary>A restore into a new container: run by the copy and import handler, through the same steps.</summary>
    public const string RestoreAs = "backup.restore-as";

    /// <summary>The job target of system backups, so two of them take turns.</summary>
    public const string SystemTarget = "berth-system";
}
