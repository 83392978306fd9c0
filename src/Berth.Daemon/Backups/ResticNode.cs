namespace Berth.Daemon.Backups;

/// <summary>One entry of a snapshot as <c>restic ls --json</c> lists it (path from the snapshot's root), with a link's target.</summary>
public sealed record ResticNode(string Path, string Type, long Size, uint Mode, long Uid, long Gid, string? LinkTarget)
{
    /// <summary>The permission bits in octal terms (0o7777): restic keeps Go's FileMode, whose setuid, setgid and sticky bits sit elsewhere.</summary>
    public int Permissions =>
        (int)(Mode & 0x1ff) | ((Mode & (1u << 23)) != 0 ? 0x800 : 0) | ((Mode & (1u << 22)) != 0 ? 0x400 : 0) | ((Mode & (1u << 20)) != 0 ? 0x200 : 0);
}
