namespace Berth.Daemon.Access;

/// <summary>
/// An object that exists, and the user who owns it (null: root owns it). A shared object (a network nobody owns)
/// is usable by every caller; otherwise only its owner and admins may use it.
/// </summary>
public sealed record OwnerLookup(string? Owner, bool Shared = false)
{
    public bool Permits(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return Shared || caller.MayUse(Owner);
    }
}
