using Berth.Daemon.Access;

namespace Berth.Daemon.Stacks;

/// <summary>A stack belongs to the user whose first up created it.</summary>
public sealed class StackOwners(StackStore stacks) : IOwnerLookup
{
    public ObjectKind Kind => ObjectKind.Stack;

    public async Task<OwnerLookup?> FindAsync(string name, CancellationToken cancellationToken) =>
        await stacks.GetAsync(name, cancellationToken).ConfigureAwait(false) is { } stack ? new OwnerLookup(stack.Owner) : null;

    public Exception NotFound(string name) => StackService.NotFound(name);
}
