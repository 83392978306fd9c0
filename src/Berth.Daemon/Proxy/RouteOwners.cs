using Berth.Daemon.Access;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Proxy;

/// <summary>Who owns a routed domain, for endpoints that name one: the one owner of its routes, or root's when an admin mixed owners.</summary>
public sealed class RouteOwners(RouteStore routes) : IOwnerLookup
{
    public ObjectKind Kind => ObjectKind.Route;

    public async Task<OwnerLookup?> FindAsync(string name, CancellationToken cancellationToken)
    {
        if (!DomainName.TryNormalise(name, out var domain, out _))
        {
            return null;
        }

        var owners = (await routes.ListAsync(null, cancellationToken).ConfigureAwait(false)).Where(r => r.Domain == domain).Select(r => r.Owner).Distinct().ToList();
        return owners switch
        {
            [] => null,
            [var owner] => new OwnerLookup(owner),
            _ => new OwnerLookup(null),
        };
    }

    public Exception NotFound(string name) => RouteService.NotFound(name, null);
}
