namespace Berth.Daemon.Storage;

/// <summary>The storage feature's job kinds.</summary>
public static class StorageJobKinds
{
    public const string PoolCreate = "storage.create";
    public const string PoolDelete = "storage.delete";
    public const string SnapshotCreate = "snapshot.create";
    public const string SnapshotRestore = "snapshot.restore";
    public const string SnapshotDelete = "snapshot.delete";
    public const string Export = "container.export";
}
