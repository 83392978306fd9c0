namespace Berth.Daemon.Networking;

/// <summary>A bridge as the kernel has it: whether it exists, is administratively up, and its addresses as ADDRESS/PREFIX.</summary>
public sealed record BridgeState(bool Exists, bool Up, IReadOnlySet<string> Addresses);
