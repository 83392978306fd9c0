using Berth.Contracts;

namespace Berth.Daemon.Health;

/// <summary>What the monitor knows of one watched container between passes; only the monitor's pass touches it.</summary>
internal sealed class ContainerWatch(HealthSettings settings)
{
    public HealthSettings Settings { get; set; } = settings;

    /// <summary>Seen running and not stopped by Berth since: a stop now is its init ending by itself.</summary>
    public bool ExpectRunning { get; set; }

    /// <summary>The <see cref="ContainerIntent.Generation"/> applied last.</summary>
    public long Generation { get; set; }

    /// <summary>When the monitor first saw this start running; null until it has.</summary>
    public DateTimeOffset? RunningSince { get; set; }

    public ContainerHealth? Health { get; set; }

    /// <summary>Failed checks in a row.</summary>
    public int Failures { get; set; }

    public DateTimeOffset NextCheck { get; set; }

    /// <summary>The check running now, with the start it belongs to.</summary>
    public (Task<(bool Healthy, string Detail)> Run, DateTimeOffset? Start)? Check { get; set; }

    /// <summary>Restarts in a row without a calm spell between them: the backoff's exponent.</summary>
    public int Streak { get; set; }

    /// <summary>When the pending restart is due, and why it is needed; null when none is.</summary>
    public DateTimeOffset? RestartDue { get; set; }

    public string RestartReason { get; set; } = "";

    /// <summary>The restart job in flight: its id and its end.</summary>
    public (string Id, Task<Store.JobRecord?> Done)? RestartJob { get; set; }

    /// <summary>restart.max restarts in a row did not help; nothing more is tried until someone starts it.</summary>
    public bool GaveUp { get; set; }

    /// <summary>Restarts its policy made since someone else last started it.</summary>
    public int Restarts { get; set; }

    /// <summary>The last failed run that counted towards unhealthy, and when it ended.</summary>
    public (string Detail, DateTimeOffset At)? Failure { get; set; }

    /// <summary>What was written to the store last; null before the first write.</summary>
    public HealthRecord? Saved { get; set; }

    /// <summary>What to keep of it across a berthd restart, as of now.</summary>
    public HealthRecord ToRecord(string name, string bootId) => new(
        name,
        bootId,
        Health,
        Failures,
        Restarts,
        Streak,
        GaveUp,
        ExpectRunning,
        RunningSince,
        RestartDue,
        RestartReason,
        RestartJob?.Id,
        Failure?.Detail,
        Failure?.At);
}
