using Berth.Daemon.Access;
using Berth.Daemon.Api;
using Berth.Daemon.Store;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Containers;

/// <summary>Who owns a container, for endpoints that name one.</summary>
public sealed class ContainerOwners(ContainerStore containers) : IOwnerLookup
{
    public ObjectKind Kind => ObjectKind.Container;

    public Task<OwnerLookup?> FindAsync(string name, CancellationToken cancellationToken) => containers.FindOwnerAsync(name, cancellationToken);

    public Exception NotFound(string name) => Containers.ContainerName.NotFound(name);
}
