namespace Berth.Daemon.Access;

/// <summary>Finds who owns an object of one kind by the name a route gives, for <see cref="PermissionGate"/>.</summary>
public interface IOwnerLookup
{
    ObjectKind Kind { get; }

    /// <summary>Null when there is no such object.</summary>
    Task<OwnerLookup?> FindAsync(string name, CancellationToken cancellationToken);

    /// <summary>The refusal a caller gets for an object it may not use: the same as for one that does not exist, so nothing leaks.</summary>
    Exception NotFound(string name);
}
