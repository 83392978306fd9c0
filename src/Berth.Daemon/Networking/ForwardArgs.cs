namespace Berth.Daemon.Networking;

/// <summary>Arguments of forward jobs: which forward (the row holds the rest).</summary>
public sealed record ForwardArgs(string Container, string Protocol, int HostPort);
