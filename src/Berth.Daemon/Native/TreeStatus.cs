namespace Berth.Daemon.Native;

/// <summary>The status of a name in a container's tree (not followed), with its owners as stored on disk.</summary>
public readonly record struct TreeStatus(
    TreeEntryType Type,
    UnixFileMode Mode,
    long Uid,
    long Gid,
    long Size,
    DateTimeOffset ModifiedAt,
    ulong Device,
    ulong Inode,
    uint Links,
    uint DeviceMajor,
    uint DeviceMinor);
