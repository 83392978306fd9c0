namespace Berth.Daemon.Store;

/// <summary>Where a container is in its life as the store sees it; its running state comes from LXC.</summary>
public static class ContainerRecordStatus
{
    /// <summary>A launch job owns it; after a crash the job's recovery removes whatever it had made.</summary>
    public const string Creating = "creating";
    public const string Ready = "ready";
    /// <summary>A delete job owns it; after a crash the delete is finished.</summary>
    public const string Deleting = "deleting";
    /// <summary>A rename job owns it; after a crash the rename is finished or undone, whichever the files allow.</summary>
    public const string Renaming = "renaming";
    /// <summary>A network change job owns it; after a crash its old lease and configuration are put back.</summary>
    public const string MovingNetwork = "moving-network";
}
