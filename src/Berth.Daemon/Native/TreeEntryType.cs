namespace Berth.Daemon.Native;

/// <summary>What a name in a container's tree is, looked at without following it.</summary>
public enum TreeEntryType
{
    File,
    Directory,
    Symlink,
    CharacterDevice,
    BlockDevice,
    Fifo,
    Socket,
}
