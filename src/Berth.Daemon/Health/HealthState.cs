using Berth.Contracts;

namespace Berth.Daemon.Health;

/// <summary>What lists and metrics show of a watched container's health.</summary>
/// <param name="Health">Null when it is stopped (and not being restarted) or Berth does not watch it.</param>
/// <param name="Restarts">Restarts its policy made since it was last started by someone else (a user, a boot's autostart).</param>
/// <param name="Failure">The last failed run that counted towards unhealthy: its exit status and output.</param>
/// <param name="FailureAt">When that run ended.</param>
public sealed record HealthState(ContainerHealth? Health, int Restarts, string? Failure = null, DateTimeOffset? FailureAt = null)
{
    public static HealthState None { get; } = new(null, 0);
}
