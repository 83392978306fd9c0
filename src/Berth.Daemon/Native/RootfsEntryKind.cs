namespace Berth.Daemon.Native;

/// <summary>What a name in a container's files is, looked at without following it.</summary>
public enum RootfsEntryKind
{
    Missing,
    File,
    Directory,
    Link,
    Other,
}
