using System.Globalization;

namespace Berth.Daemon.Backups.Policy;

/// <summary>
/// Applies a <see cref="KeepPolicy"/> with Proxmox's semantics (PVE vzdump prune-backups, PBS prune): the rules run
/// in the order last, hourly, daily, weekly, monthly, yearly over the backups sorted newest first. A rule keeps the
/// newest backup of each of its next N periods (hour, day, ISO week, month, year on the host's wall clock), where a
/// period counts only when it has a backup and none of its backups is already kept by an earlier rule; the older
/// backups inside a period it counts are forgotten and no later rule can pick them. What no rule keeps is forgotten.
/// </summary>
public static class KeepSelector
{
    /// <summary>The reason given for every backup when the policy sets no rule.</summary>
    public const string KeepAll = "all";

    private const string Removed = "";

    /// <param name="backups">One container's backups in any order; ids must be unique.</param>
    /// <param name="zone">Whose wall clock divides time into periods; null: the host's, as Proxmox does.</param>
    public static KeepSelection Select(IReadOnlyList<(string Id, DateTimeOffset Time)> backups, KeepPolicy policy, TimeZoneInfo? zone = null)
    {
        ArgumentNullException.ThrowIfNull(backups);
        ArgumentNullException.ThrowIfNull(policy);
        zone ??= TimeZoneInfo.Local;

        // Equal times are ordered by id so the answer does not depend on the order the list came in.
        var list = backups.OrderByDescending(b => b.Time).ThenByDescending(b => b.Id, StringComparer.Ordinal).ToArray();
        if (list.Select(b => b.Id).Distinct(StringComparer.Ordinal).Count() != list.Length)
        {
            throw new ArgumentException("backup ids must be unique", nameof(backups));
        }

        if (policy.KeepsAll)
        {
            return new KeepSelection([.. list.Select(b => new KeptBackup(b.Id, b.Time, KeepAll))], []);
        }

        var local = list.Select(b => TimeZoneInfo.ConvertTime(b.Time, zone).DateTime).ToArray();
        var marks = new string?[list.Length];
        Mark(marks, policy.Last, "last", i => i);
        Mark(marks, policy.Hourly, "hourly", i => (local[i].Year * 10000L + local[i].Month * 100 + local[i].Day) * 100 + local[i].Hour);
        Mark(marks, policy.Daily, "daily", i => local[i].Year * 10000L + local[i].Month * 100 + local[i].Day);
        Mark(marks, policy.Weekly, "weekly", i => ISOWeek.GetYear(local[i]) * 100L + ISOWeek.GetWeekOfYear(local[i]));
        Mark(marks, policy.Monthly, "monthly", i => local[i].Year * 100L + local[i].Month);
        Mark(marks, policy.Yearly, "yearly", i => local[i].Year);

        var keep = new List<KeptBackup>();
        var forget = new List<string>();
        for (var i = 0; i < list.Length; i++)
        {
            if (marks[i] is { Length: > 0 } rule)
            {
                keep.Add(new KeptBackup(list[i].Id, list[i].Time, rule));
            }
            else
            {
                forget.Add(list[i].Id);
            }
        }

        return new KeepSelection(keep, forget);
    }

    // PBS's mark_selections: periods that already hold a kept backup are skipped, not counted.
    private static void Mark(string?[] marks, int? count, string rule, Func<int, long> period)
    {
        if (count is not { } keep)
        {
            return;
        }

        var covered = new HashSet<long>();
        for (var i = 0; i < marks.Length; i++)
        {
            if (marks[i] is { Length: > 0 })
            {
                covered.Add(period(i));
            }
        }

        var counted = new HashSet<long>();
        for (var i = 0; i < marks.Length; i++)
        {
            if (marks[i] is not null)
            {
                continue;
            }

            var id = period(i);
            if (covered.Contains(id))
            {
                continue;
            }

            if (counted.Contains(id))
            {
                marks[i] = Removed;
                continue;
            }

            if (counted.Count >= keep)
            {
                break;
            }

            counted.Add(id);
            marks[i] = rule;
        }
    }
}
