namespace Berth.Daemon.Networking;

/// <summary>An address handed to a container; (network, address) is unique in the store, so it is never handed out twice.</summary>
public sealed record IpLease(string Network, string Address, string? Address6, string Container, string HardwareAddress, int Nic = 0);
