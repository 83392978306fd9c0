using Berth.Contracts;

namespace Berth.Daemon.Health;

/// <summary>
/// What the monitor keeps of a watched container across berthd restarts: it changes with the container's state, not
/// with each check, so a check that changes nothing writes nothing.
/// </summary>
/// <param name="BootId">The host boot it was written in: after a reboot no container runs on from before it.</param>
/// <param name="Failures">Failed runs in a row, counted until it turns unhealthy.</param>
/// <param name="Streak">Restarts in a row: the backoff's exponent.</param>
/// <param name="RestartJob">The id of the restart job in flight.</param>
/// <param name="Failure">The last failed run that counted: its exit status and output (shortened).</param>
public sealed record HealthRecord(
    string Container,
    string BootId,
    ContainerHealth? Health,
    int Failures,
    int Restarts,
    int Streak,
    bool GaveUp,
    bool ExpectRunning,
    DateTimeOffset? RunningSince,
    DateTimeOffset? RestartDue,
    string RestartReason,
    string? RestartJob,
    string? Failure,
    DateTimeOffset? FailureAt);
