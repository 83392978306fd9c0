using Berth.Contracts;

namespace Berth.Daemon.Health;

/// <summary>What lists and metrics show of a watched container's health.</summary>
/// <param name="Health">Null when it is stopped (and not being restarted) or Berth does not watch it.</param>
/// <param name="Restarts">Restarts its policy made since berthd started.</param>
public sealed record HealthState(ContainerHealth? Health, int Restarts)
{
    public static HealthState None { get; } = new(null, 0);
}
