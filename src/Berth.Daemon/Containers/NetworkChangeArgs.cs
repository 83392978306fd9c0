using Berth.Daemon.Networking;

namespace Berth.Daemon.Containers;

/// <summary>Arguments of a network change job: the network to move to (null for none), the address asked for, and the lease to put back on failure.</summary>
public sealed record NetworkChangeArgs(string Name, string? Network, string? Address, IpLease? Previous);
