using Berth.Daemon.Networking;

namespace Berth.Daemon.Containers;

/// <summary>
/// Arguments of a network change job: the network to move to (null for none), the address asked for, and the lease to
/// put back on failure; <see cref="PreviousLeases"/> holds every interface's (jobs submitted before it was kept have only <see cref="Previous"/>).
/// </summary>
public sealed record NetworkChangeArgs(string Name, string? Network, string? Address, IpLease? Previous)
{
    public IReadOnlyList<IpLease>? PreviousLeases { get; init; }
}
