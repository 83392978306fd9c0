namespace Berth.Daemon.Networking;

/// <summary>Arguments of network jobs: the network's name (the row holds the rest).</summary>
public sealed record NetworkArgs(string Name);
