namespace Berth.Daemon.Containers;

/// <summary>
/// The host's id range for unprivileged containers, or none when setup has not reserved one. <paramref name="Map"/> is
/// the first block of root's subordinate range (root's and admins' containers); <paramref name="Blocks"/> counts the
/// blocks of <see cref="IdMap.ContainerRange"/> ids that range holds in both /etc/subuid and /etc/subgid, the first
/// included (the others are members' own, see Users.IdMapRanges).
/// </summary>
public sealed record HostIdMap(IdMap? Map, long Blocks = 1)
{
    public static HostIdMap Read(string subuid = "/etc/subuid", string subgid = "/etc/subgid")
    {
        var uid = IdMap.RootRange(subuid);
        var gid = IdMap.RootRange(subgid);
        return uid is null || gid is null
            ? new HostIdMap(null, 0)
            : new HostIdMap(new IdMap(uid.Value.Start, gid.Value.Start, IdMap.ContainerRange), Math.Min(uid.Value.Count, gid.Value.Count) / IdMap.ContainerRange);
    }

    /// <summary>Block <paramref name="index"/> (0 is <see cref="Map"/>), or null when root's range does not hold it.</summary>
    public IdMap? Block(long index) =>
        Map is { } first && index >= 0 && index < Blocks
            ? new IdMap(first.UidBase + (index * IdMap.ContainerRange), first.GidBase + (index * IdMap.ContainerRange), IdMap.ContainerRange)
            : null;
}
