namespace Berth.Daemon.Storage;

/// <summary>Settings of the storage feature, bound from Berth:Storage (e.g. --Berth:Storage:SchedulerInterval 00:00:05).</summary>
public sealed class StorageOptions
{
    /// <summary>How often scheduled snapshots and expiries are checked. Default 30 s.</summary>
    public TimeSpan SchedulerInterval { get; set; } = TimeSpan.FromSeconds(30);
}
