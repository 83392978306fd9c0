using System.Globalization;
using Berth.Daemon.Storage;

namespace Berth.Daemon.Audit;

/// <summary>Settings of the audit log, bound from Berth:Audit (--audit-retention).</summary>
public sealed class AuditOptions
{
    /// <summary>How long records are kept: 90d, 12w, 36h (or a TimeSpan such as 90.00:00:00). Default 90d.</summary>
    public string Retention { get; set; } = "90d";

    /// <summary>How often records older than the retention are removed. Default 1 hour.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The retention as a period; throws with the switch's name when it is not one.</summary>
    public TimeSpan RetentionPeriod =>
        Durations.TryParse(Retention, out var period) || TimeSpan.TryParse(Retention, CultureInfo.InvariantCulture, out period) && period > TimeSpan.Zero
            ? period
            : throw new ArgumentException($"--audit-retention {Retention}: expected a period such as 90d, 12w or 36h");

    public void Validate()
    {
        _ = RetentionPeriod;
        if (PruneInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"--Berth:Audit:PruneInterval {PruneInterval}: expected a positive interval such as 01:00:00");
        }
    }
}
