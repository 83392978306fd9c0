using Berth.Daemon.Storage;

namespace Berth.Daemon.Updates;

/// <summary>Settings of unattended updates, bound from Berth:Updates (--updates-auto, --updates-every, --updates-window): host defaults a container's own keys override.</summary>
public sealed class UpdateOptions
{
    /// <summary>Whether containers without updates.auto are updated by the scheduler. Default false.</summary>
    public bool Auto { get; set; }

    /// <summary>How long after its last update a container is due again, e.g. 7d (containers without updates.every). Default 7d.</summary>
    public string Every { get; set; } = "7d";

    /// <summary>When (UTC) due containers without updates.window are updated, e.g. 02:00-05:00; empty for any time.</summary>
    public string Window { get; set; } = "";

    /// <summary>How often due updates are looked for. Default 60 s.</summary>
    public TimeSpan SchedulerInterval { get; set; } = TimeSpan.FromSeconds(60);

    public void Validate()
    {
        if (!Durations.TryParse(Every, out _))
        {
            throw new ArgumentException($"--updates-every {Every}: expected a period such as 7d, 15d or 12h");
        }

        if (Window.Length > 0 && !UpdateWindow.TryParse(Window, out _))
        {
            throw new ArgumentException($"--updates-window {Window}: expected a UTC time range such as 02:00-05:00");
        }

        if (SchedulerInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"--Berth:Updates:SchedulerInterval {SchedulerInterval}: expected a positive interval such as 00:01:00");
        }
    }
}
