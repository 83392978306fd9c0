using Berth.Daemon.Backups.Policy;
using Berth.Daemon.Storage;

namespace Berth.Daemon.Backups;

/// <summary>Settings of backups, bound from Berth:Backups (--backup-schedule, --backup-keep): host defaults a container's own keys override.</summary>
public sealed class BackupOptions
{
    /// <summary>When containers without backups.schedule are backed up: @daily, a cron expression, or empty for never.</summary>
    public string Schedule { get; set; } = "";

    /// <summary>What scheduled backups of containers without backups.keep keep, e.g. last=3,daily=7; empty keeps all.</summary>
    public string Keep { get; set; } = "";

    /// <summary>When every target gets a structure check (restic check as a backup.check job): a schedule, or empty for never.</summary>
    public string CheckSchedule { get; set; } = "";

    /// <summary>When one random backup of each target is restored into a scratch directory and compared with its listing: a schedule, or empty for never. Default @monthly.</summary>
    public string RestoreTestSchedule { get; set; } = "@monthly";

    /// <summary>Scheduled checks read the next of this many parts of the data each time (so this many read it all); 0 checks the structure only. Default 12.</summary>
    public int CheckReadParts { get; set; } = 12;

    /// <summary>How often due backups are looked for. Default 30 s.</summary>
    public TimeSpan SchedulerInterval { get; set; } = TimeSpan.FromSeconds(30);

    public void Validate()
    {
        if (Schedule.Length > 0 && !CronSchedule.TryParse(Schedule, out _))
        {
            throw new ArgumentException($"--backup-schedule {Schedule}: expected @hourly, @daily, @weekly or a cron expression like '0 3 * * *'");
        }

        if (Keep.Length > 0 && !KeepPolicy.TryParse(Keep, out _, out var error))
        {
            throw new ArgumentException($"--backup-keep {Keep}: {error}");
        }

        if (CheckSchedule.Length > 0 && !CronSchedule.TryParse(CheckSchedule, out _))
        {
            throw new ArgumentException($"--check-schedule {CheckSchedule}: expected @daily, @weekly or a cron expression like '0 4 * * 0'");
        }

        if (RestoreTestSchedule.Length > 0 && !CronSchedule.TryParse(RestoreTestSchedule, out _))
        {
            throw new ArgumentException($"--restore-test-schedule {RestoreTestSchedule}: expected @monthly, @weekly or a cron expression like '0 5 1 * *'");
        }

        if (CheckReadParts is < 0 or > RotatingSubset.MaxParts)
        {
            throw new ArgumentException($"--check-read-parts {CheckReadParts}: expected 0 (structure only) to {RotatingSubset.MaxParts}");
        }

        if (SchedulerInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"--Berth:Backups:SchedulerInterval {SchedulerInterval}: expected a positive interval such as 00:00:30");
        }
    }
}
