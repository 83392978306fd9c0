using Berth.Daemon.Access;

namespace Berth.Daemon.Users;

/// <summary>A user owns itself: a member may act on its own name (password, TOTP, tokens) and on no other.</summary>
public sealed class UserOwners(UserStore users) : IOwnerLookup
{
    public ObjectKind Kind => ObjectKind.User;

    public async Task<OwnerLookup?> FindAsync(string name, CancellationToken cancellationToken) =>
        UserName.IsValid(name) && await users.FindAsync(name, cancellationToken).ConfigureAwait(false) is { } user ? new OwnerLookup(user.Name) : null;

    public Exception NotFound(string name) => UserName.NotFound(name);
}
