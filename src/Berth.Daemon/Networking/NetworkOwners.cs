using Berth.Daemon.Access;

namespace Berth.Daemon.Networking;

/// <summary>A network nobody owns is shared (every caller may attach to it); a member's own network is theirs alone.</summary>
public sealed class NetworkOwners(NetworkStore networks) : IOwnerLookup
{
    public ObjectKind Kind => ObjectKind.Network;

    public async Task<OwnerLookup?> FindAsync(string name, CancellationToken cancellationToken) =>
        await networks.FindOwnerAsync(name, cancellationToken).ConfigureAwait(false) is { } found ? found : null;

    public Exception NotFound(string name) => NetworkName.NotFound(name);

    /// <summary>A member may attach only to shared networks and their own; another member's answers as if it did not exist.</summary>
    public async Task RequireUsableAsync(Caller caller, string network, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.IsAdmin && network is not ("none" or "") && await networks.FindOwnerAsync(network, cancellationToken).ConfigureAwait(false) is { } found && !found.Permits(caller))
        {
            throw NotFound(network);
        }
    }
}
