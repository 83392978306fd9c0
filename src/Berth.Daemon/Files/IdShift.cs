using Berth.Daemon.Containers;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Files;

/// <summary>
/// How the ids the container sees map to the ids stored in its files: unchanged where the pool stores them as the
/// container sees them, shifted by the host id of container root where it stores them shifted (overlay).
/// </summary>
public sealed record IdShift(long? UidBase, long? GidBase, bool Privileged)
{
    /// <summary>The id an unprivileged container shows for a file owned by an id outside its map.</summary>
    public const long Overflow = 65534;

    /// <summary>The largest id the API takes: the container's range, or any 32-bit id for a privileged container.</summary>
    public long MaxId => Privileged ? uint.MaxValue - 1 : IdMap.ContainerRange - 1;

    public long UidToHost(long id) => id + (UidBase ?? 0);

    public long GidToHost(long id) => id + (GidBase ?? 0);

    public long UidFromHost(long id) => FromHost(id, UidBase);

    public long GidFromHost(long id) => FromHost(id, GidBase);

    /// <summary>Checks an id a request gives (<paramref name="field"/> names it); null stays null.</summary>
    public long? Validate(long? id, string field) => id is null || (id >= 0 && id <= MaxId)
        ? id
        : throw DomainError.Invalid("Invalid owner", $"{field} {id} is outside the ids this container has (0-{MaxId}).");

    private static long FromHost(long id, long? hostBase) =>
        hostBase is not { } b ? id : id >= b && id < b + IdMap.ContainerRange ? id - b : Overflow;
}
