using System.Globalization;

namespace Berth.Daemon.Updates;

/// <summary>A daily UTC time range (02:00-05:00) updates may run in; one whose end is before its start spans midnight (22:00-02:00).</summary>
public sealed record UpdateWindow(TimeSpan Start, TimeSpan End)
{
    /// <summary>Any time of day.</summary>
    public static UpdateWindow Always { get; } = new(TimeSpan.Zero, TimeSpan.FromDays(1));

    public static bool TryParse(string? text, out UpdateWindow window)
    {
        window = Always;
        var parts = (text ?? "").Trim().Split('-');
        if (parts.Length != 2 || !TryTime(parts[0], out var start) || !TryTime(parts[1], out var end) || start == end)
        {
            return false;
        }

        window = new UpdateWindow(start, end);
        return true;
    }

    public bool Contains(DateTimeOffset time)
    {
        var of = time.UtcDateTime.TimeOfDay;
        return Start <= End ? of >= Start && of < End : of >= Start || of < End;
    }

    /// <summary><paramref name="time"/> itself when it is inside the window, else the window's next start.</summary>
    public DateTimeOffset OpenAtOrAfter(DateTimeOffset time)
    {
        if (Contains(time))
        {
            return time;
        }

        var utc = time.ToUniversalTime();
        var start = new DateTimeOffset(utc.Date, TimeSpan.Zero) + Start;
        return start > utc ? start : start.AddDays(1);
    }

    public override string ToString() => ReferenceEquals(this, Always) ? "" : $"{Format(Start)}-{Format(End)}";

    private static string Format(TimeSpan t) => t == TimeSpan.FromDays(1) ? "24:00" : t.ToString(@"hh\:mm", CultureInfo.InvariantCulture);

    private static bool TryTime(string text, out TimeSpan time)
    {
        time = TimeSpan.Zero;
        var hm = text.Trim().Split(':');
        if (hm.Length != 2 || hm[0].Length != 2 || hm[1].Length != 2
            || !int.TryParse(hm[0], NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            || !int.TryParse(hm[1], NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            || h > 24 || m > 59 || (h == 24 && m != 0))
        {
            return false;
        }

        time = new TimeSpan(h, m, 0);
        return true;
    }
}
