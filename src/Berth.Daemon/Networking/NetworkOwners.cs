using Berth.Daemon.Access;

namespace Berth.Daemon.Networking;

/// <summary>A network nobody owns is shared (every caller may attach to it); a member's own network is theirs alone.</summary>
public sealed class NetworkOwners(NetworkStore networks) : IOwnerLookup
{
    public ObjectKind Kind => ObjectKind.Network;

    public async Task<OwnerLookup?> FindAsync(string name, CancellationToken cancellationToken) =>
        await networks.FindOwnerAsync(name, cancellationToken).ConfigureAwait(false) is { } found ? found : null;

    public Exception NotFound(string name) => NetworkName.NotFound(name);
}
