namespace Berth.Daemon.Proxy;

/// <summary>Arguments of route jobs: which route (the row holds the rest).</summary>
public sealed record RouteArgs(string Domain, string Path, string Container);
