namespace Berth.Daemon.Metrics;

/// <summary>One collection of every container and the host, taken at <see cref="At"/>.</summary>
public sealed record MetricsReading(DateTimeOffset At, IReadOnlyList<ContainerReading> Containers, HostReading Host);
