using System.Globalization;

namespace Berth.Daemon.Storage;

/// <summary>
/// When scheduled snapshots and backups are taken: @hourly, @daily, @weekly, @monthly, @yearly, or a five-field cron
/// expression (minute hour day-of-month month day-of-week) with *, lists, ranges, steps and the names jan-dec and
/// sun-sat (Sunday is 0 or 7). Times are UTC.
/// </summary>
public sealed class CronSchedule
{
    private readonly bool[] _minutes;
    private readonly bool[] _hours;
    private readonly bool[] _days;
    private readonly bool[] _months;
    private readonly bool[] _weekdays;
    private readonly bool _anyDay;
    private readonly bool _anyWeekday;

    private static readonly string[] MonthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    private static readonly string[] DayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    private CronSchedule(bool[] minutes, bool[] hours, bool[] days, bool[] months, bool[] weekdays, bool anyDay, bool anyWeekday)
    {
        _minutes = minutes;
        _hours = hours;
        _days = days;
        _months = months;
        _weekdays = weekdays;
        _anyDay = anyDay;
        _anyWeekday = anyWeekday;
    }

    public static bool TryParse(string? text, out CronSchedule schedule)
    {
        schedule = null!;
        var expression = text?.Trim() switch
        {
            "@hourly" => "0 * * * *",
            "@daily" or "@midnight" => "0 0 * * *",
            "@weekly" => "0 0 * * 0",
            "@monthly" => "0 0 1 * *",
            "@yearly" or "@annually" => "0 0 1 1 *",
            var other => other,
        };
        var fields = expression?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields is not { Length: 5 })
        {
            return false;
        }

        var minutes = Field(fields[0], 0, 59);
        var hours = Field(fields[1], 0, 23);
        var days = Field(fields[2], 1, 31);
        var months = Field(Numbered(fields[3], MonthNames, 1), 1, 12);
        var weekdays = Field(Numbered(fields[4], DayNames, 0), 0, 7);
        if (minutes is null || hours is null || days is null || months is null || weekdays is null)
        {
            return false;
        }

        weekdays[0] |= weekdays[7];
        schedule = new CronSchedule(minutes, hours, days, months, weekdays, fields[2] == "*", fields[4] == "*");
        return true;
    }

    /// <summary>The first time strictly after <paramref name="after"/> that matches, or null when none within five years (29 February needs up to four).</summary>
    public DateTimeOffset? Next(DateTimeOffset after)
    {
        var t = new DateTimeOffset(after.UtcDateTime.Year, after.UtcDateTime.Month, after.UtcDateTime.Day, after.UtcDateTime.Hour, after.UtcDateTime.Minute, 0, TimeSpan.Zero).AddMinutes(1);
        var limit = t.AddYears(5);
        while (t < limit)
        {
            if (!_months[t.Month] || !DayMatches(t))
            {
                t = new DateTimeOffset(t.Year, t.Month, t.Day, 0, 0, 0, TimeSpan.Zero).AddDays(1);
                continue;
            }

            if (!_hours[t.Hour])
            {
                t = new DateTimeOffset(t.Year, t.Month, t.Day, t.Hour, 0, 0, TimeSpan.Zero).AddHours(1);
                continue;
            }

            if (_minutes[t.Minute])
            {
                return t;
            }

            t = t.AddMinutes(1);
        }

        return null;
    }

    // As in cron: when both day fields are restricted, either may match.
    private bool DayMatches(DateTimeOffset t) =>
        _anyDay && _anyWeekday ? true
        : _anyDay ? _weekdays[(int)t.DayOfWeek]
        : _anyWeekday ? _days[t.Day]
        : _days[t.Day] || _weekdays[(int)t.DayOfWeek];

    // Names become numbers before parsing, so they work in lists and ranges; an unknown word stays and fails.
    private static string Numbered(string field, string[] names, int first)
    {
        for (var i = 0; i < names.Length; i++)
        {
            field = field.Replace(names[i], (first + i).ToString(CultureInfo.InvariantCulture), StringComparison.OrdinalIgnoreCase);
        }

        return field;
    }

    private static bool[]? Field(string text, int min, int max)
    {
        var set = new bool[max + 1];
        foreach (var part in text.Split(','))
        {
            var step = 1;
            var range = part;
            var slash = part.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0)
            {
                if (!int.TryParse(part[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out step) || step < 1)
                {
                    return null;
                }

                range = part[..slash];
            }

            int from, to;
            if (range == "*")
            {
                (from, to) = (min, max);
            }
            else
            {
                var bounds = range.Split('-');
                if (bounds.Length > 2
                    || !int.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out from)
                    || !int.TryParse(bounds[^1], NumberStyles.None, CultureInfo.InvariantCulture, out to)
                    || from < min || to > max || from > to)
                {
                    return null;
                }

                if (slash >= 0 && bounds.Length == 1)
                {
                    to = max;
                }
            }

            for (var v = from; v <= to; v += step)
            {
                set[v] = true;
            }
        }

        return set;
    }
}
