namespace Berth.Daemon.Containers;

/// <summary>The host's id range for unprivileged containers, or none when setup has not reserved one.</summary>
public sealed record HostIdMap(IdMap? Map);
