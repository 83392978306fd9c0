using System.Globalization;
using Berth.Daemon.Backups.Policy;

namespace Berth.Tests.Daemon.Backups;

/// <summary>The cases of Proxmox Backup Server's own prune tests (tests/prune.rs), then Berth's edge cases.</summary>
public sealed class KeepSelectorTests
{
    private static readonly string[] Hourly =
    [
        "2019-11-15T09:39:15Z", "2019-11-15T10:49:15Z", "2019-11-15T10:59:15Z",
        "2019-11-15T11:39:15Z", "2019-11-15T11:49:15Z", "2019-11-15T11:59:15Z",
    ];

    private static readonly string[] Simple = ["2019-12-02T11:59:15Z", "2019-12-03T11:59:15Z", "2019-12-04T11:59:15Z", "2019-12-04T12:59:15Z"];

    private static readonly string[] Simple2 =
    [
        "2018-11-15T11:59:15Z", "2019-11-15T11:59:15Z", "2019-11-21T11:59:15Z", "2019-11-22T11:59:15Z", "2019-11-29T11:59:15Z",
        "2019-12-01T11:59:15Z", "2019-12-02T11:59:15Z", "2019-12-03T11:59:15Z", "2019-12-04T11:59:15Z",
    ];

    [Theory]
    [InlineData("hourly=3", "2019-11-15T09:39:15Z 2019-11-15T10:59:15Z 2019-11-15T11:59:15Z")]
    [InlineData("hourly=2", "2019-11-15T10:59:15Z 2019-11-15T11:59:15Z")]
    public void Select_ProxmoxHourlyCases_KeepTheNewestOfEachHour(string policy, string kept) => AssertKept(Hourly, policy, kept);

    [Theory]
    [InlineData("last=4", "2019-12-02T11:59:15Z 2019-12-03T11:59:15Z 2019-12-04T11:59:15Z 2019-12-04T12:59:15Z")]
    [InlineData("last=3", "2019-12-03T11:59:15Z 2019-12-04T11:59:15Z 2019-12-04T12:59:15Z")]
    [InlineData("last=2", "2019-12-04T11:59:15Z 2019-12-04T12:59:15Z")]
    [InlineData("last=1", "2019-12-04T12:59:15Z")]
    [InlineData("last=2,daily=2", "2019-12-02T11:59:15Z 2019-12-03T11:59:15Z 2019-12-04T11:59:15Z 2019-12-04T12:59:15Z")]
    [InlineData("daily=3", "2019-12-02T11:59:15Z 2019-12-03T11:59:15Z 2019-12-04T12:59:15Z")]
    [InlineData("daily=2", "2019-12-03T11:59:15Z 2019-12-04T12:59:15Z")]
    [InlineData("weekly=5", "2019-12-04T12:59:15Z")]
    [InlineData("daily=1,weekly=5", "2019-12-04T12:59:15Z")]
    [InlineData("monthly=6", "2019-12-04T12:59:15Z")]
    [InlineData("yearly=7", "2019-12-04T12:59:15Z")]
    [InlineData("weekly=5,monthly=6,yearly=7", "2019-12-04T12:59:15Z")]
    public void Select_ProxmoxSimpleCases(string policy, string kept) => AssertKept(Simple, policy, kept);

    [Theory]
    [InlineData("daily=1", "2019-12-04T11:59:15Z")]
    [InlineData("last=1,daily=1", "2019-12-03T11:59:15Z 2019-12-04T11:59:15Z")]
    [InlineData("daily=1,weekly=1", "2019-12-01T11:59:15Z 2019-12-04T11:59:15Z")]
    // 29 November shares ISO week 48 with 1 December: the weekly rule forgets it, so the monthly rule takes 22 November.
    [InlineData("daily=1,weekly=1,monthly=1", "2019-11-22T11:59:15Z 2019-12-01T11:59:15Z 2019-12-04T11:59:15Z")]
    [InlineData("monthly=1,yearly=1", "2018-11-15T11:59:15Z 2019-12-04T11:59:15Z")]
    public void Select_ProxmoxCasesAcrossWeeksMonthsAndYears(string policy, string kept) => AssertKept(Simple2, policy, kept);

    [Fact]
    public void Select_DailyAndWeekly_WeeklyCountsOnlyWeeksOlderThanTheKeptDays()
    {
        // Daily backups at 21:00 for five weeks; the three days kept daily are in ISO week 49 (Monday 30 November 2026).
        var backups = Enumerable.Range(0, 35).Select(d => At(new DateTime(2026, 10, 29, 21, 0, 0).AddDays(d))).ToArray();
        var selection = Select(backups, "daily=3,weekly=2");

        Assert.Equal(["2026-12-02T21:00:00Z/daily", "2026-12-01T21:00:00Z/daily", "2026-11-30T21:00:00Z/daily",
            "2026-11-29T21:00:00Z/weekly", "2026-11-22T21:00:00Z/weekly"], selection.Keep.Select(k => $"{k.Id}/{k.Rule}"));
        Assert.Equal(30, selection.Forget.Count);
    }

    [Fact]
    public void Select_ProxmoxRetentionExample_CoversTheDocumentedSpans()
    {
        // The admin guide's example for daily backups kept ten years: keep-last=3, keep-daily=13, keep-weekly=8,
        // keep-monthly=11, keep-yearly=9. Two years and a bit of nightly backups.
        var newest = new DateTime(2026, 12, 1, 2, 0, 0);
        var backups = Enumerable.Range(0, 800).Select(d => At(newest.AddDays(-d))).ToArray();
        var selection = Select(backups, "last=3,daily=13,weekly=8,monthly=11,yearly=9");

        var byRule = selection.Keep.GroupBy(k => k.Rule).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(3, byRule["last"]);
        Assert.Equal(13, byRule["daily"]);
        Assert.Equal(8, byRule["weekly"]);
        Assert.Equal(11, byRule["monthly"]);
        Assert.Equal(1, byRule["yearly"]); // 2024: 2025 and 2026 are covered already, and nothing is older

        // "at least two weeks" of daily backups: the newest 16 days, each one kept.
        Assert.Equal(Enumerable.Range(0, 16).Select(d => At(newest.AddDays(-d)).Id), selection.Keep.Take(16).Select(k => k.Id));
        // "at least a year of monthly backups".
        var oldestMonthly = selection.Keep.Last(k => k.Rule == "monthly").Time;
        Assert.True(oldestMonthly <= new DateTimeOffset(newest, TimeSpan.Zero).AddYears(-1), oldestMonthly.ToString("O", CultureInfo.InvariantCulture));
        Assert.Equal(800 - selection.Keep.Count, selection.Forget.Count);
    }

    [Fact]
    public void Select_Empty_KeepsAndForgetsNothing()
    {
        var selection = Select([], "last=3,daily=7");
        Assert.Empty(selection.Keep);
        Assert.Empty(selection.Forget);
    }

    [Fact]
    public void Select_FewerBackupsThanRules_KeepsThemAll()
    {
        var selection = Select([At(new DateTime(2026, 5, 1, 3, 0, 0)), At(new DateTime(2026, 5, 2, 3, 0, 0))], "last=3,daily=7,weekly=4,monthly=6,yearly=1");
        Assert.Equal(["2026-05-02T03:00:00Z/last", "2026-05-01T03:00:00Z/last"], selection.Keep.Select(k => $"{k.Id}/{k.Rule}"));
        Assert.Empty(selection.Forget);
    }

    [Fact]
    public void Select_SeveralBackupsInOneDay_KeepsTheNewestOfThatDay()
    {
        var backups = new[] { "2026-05-02T01:00:00Z", "2026-05-02T23:59:00Z", "2026-05-02T12:00:00Z", "2026-05-01T08:00:00Z" }.Select(Parse).ToArray();
        var selection = Select(backups, "daily=7");
        Assert.Equal(["2026-05-02T23:59:00Z", "2026-05-01T08:00:00Z"], selection.Keep.Select(k => k.Id));
        Assert.Equal(["2026-05-02T12:00:00Z", "2026-05-02T01:00:00Z"], selection.Forget);
    }

    [Fact]
    public void Select_IsoWeek53_SpansTheNewYear()
    {
        // 2020-W53 runs from Monday 28 December 2020 to Sunday 3 January 2021.
        var backups = new[] { "2020-12-27T10:00:00Z", "2020-12-31T10:00:00Z", "2021-01-02T10:00:00Z", "2021-01-04T10:00:00Z" }.Select(Parse).ToArray();
        Assert.Equal(["2021-01-04T10:00:00Z", "2021-01-02T10:00:00Z", "2020-12-27T10:00:00Z"], Select(backups, "weekly=3").Keep.Select(k => k.Id));
        // The yearly rule goes by the calendar year, not the ISO week's year.
        Assert.Equal(["2021-01-04T10:00:00Z", "2020-12-31T10:00:00Z"], Select(backups, "yearly=3").Keep.Select(k => k.Id));
    }

    [Fact]
    public void Select_IsoWeekOne_StartsInTheOldYear()
    {
        // Monday 30 December 2024 is in 2025-W01; Sunday 29 December ends 2024-W52.
        var backups = new[] { "2024-12-29T10:00:00Z", "2024-12-30T10:00:00Z", "2025-01-01T10:00:00Z" }.Select(Parse).ToArray();
        var selection = Select(backups, "weekly=2");
        Assert.Equal(["2025-01-01T10:00:00Z", "2024-12-29T10:00:00Z"], selection.Keep.Select(k => k.Id));
        Assert.Equal(["2024-12-30T10:00:00Z"], selection.Forget);
    }

    [Fact]
    public void Select_Zone_DaysFollowTheWallClockOfThatZone()
    {
        var backups = new[] { "2026-03-09T12:00:00Z", "2026-03-10T22:30:00Z", "2026-03-10T23:30:00Z" }.Select(Parse).ToArray();
        Assert.Equal(["2026-03-10T23:30:00Z", "2026-03-09T12:00:00Z"], Select(backups, "daily=2", TimeZoneInfo.Utc).Keep.Select(k => k.Id));

        // In Berlin (UTC+1 in early March) 23:30Z is already 11 March, so 22:30Z is the newest of 10 March.
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        Assert.Equal(["2026-03-10T23:30:00Z", "2026-03-10T22:30:00Z"], Select(backups, "daily=2", berlin).Keep.Select(k => k.Id));
    }

    [Fact]
    public void Select_NoZone_UsesTheHostsZone()
    {
        var backups = Enumerable.Range(0, 200).Select(h => At(new DateTime(2026, 6, 1, 0, 17, 0).AddHours(h * 7))).ToArray();
        Assert.True(KeepPolicy.TryParse("hourly=5,daily=5,weekly=2", out var policy, out _));
        Assert.Equal(KeepSelector.Select(backups, policy, TimeZoneInfo.Local), KeepSelector.Select(backups, policy), new SelectionComparer());
    }

    [Fact]
    public void Select_InputOrder_DoesNotMatter()
    {
        var backups = Simple2.Select(Parse).ToArray();
        var shuffled = Enumerable.Reverse(backups).ToArray();
        (shuffled[2], shuffled[5]) = (shuffled[5], shuffled[2]);
        Assert.Equal(Select(backups, "last=1,weekly=2,monthly=2"), Select(shuffled, "last=1,weekly=2,monthly=2"), new SelectionComparer());
    }

    [Fact]
    public void Select_SameTime_TheOrderIsStable()
    {
        var time = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var selection = Select([("b", time), ("a", time), ("c", time)], "last=1");
        Assert.Equal("c", Assert.Single(selection.Keep).Id);
        Assert.Equal(["b", "a"], selection.Forget);
    }

    [Fact]
    public void Select_NoRule_KeepsEverything()
    {
        var selection = KeepSelector.Select(Simple.Select(Parse).ToArray(), new KeepPolicy(), TimeZoneInfo.Utc);
        Assert.Equal(4, selection.Keep.Count);
        Assert.All(selection.Keep, k => Assert.Equal(KeepSelector.KeepAll, k.Rule));
        Assert.Empty(selection.Forget);
    }

    [Fact]
    public void Select_DuplicateIds_Throws()
    {
        var time = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Throws<ArgumentException>(() => Select([("a", time), ("a", time.AddDays(1))], "daily=7"));
    }

    private static void AssertKept(string[] times, string policy, string kept)
    {
        var selection = Select(times.Select(Parse).ToArray(), policy);
        var expected = kept.Split(' ');
        Assert.Equal(Enumerable.Reverse(expected), selection.Keep.Select(k => k.Id));
        Assert.Equal(times.Except(expected).Reverse(), selection.Forget);
    }

    private static KeepSelection Select((string Id, DateTimeOffset Time)[] backups, string policy, TimeZoneInfo? zone = null)
    {
        Assert.True(KeepPolicy.TryParse(policy, out var parsed, out var error), error);
        return KeepSelector.Select(backups, parsed, zone ?? TimeZoneInfo.Utc);
    }

    private static (string Id, DateTimeOffset Time) Parse(string time) =>
        (time, DateTimeOffset.Parse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal));

    private static (string Id, DateTimeOffset Time) At(DateTime utc) =>
        Parse(utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));

    private sealed class SelectionComparer : IEqualityComparer<KeepSelection>
    {
        public bool Equals(KeepSelection? x, KeepSelection? y) =>
            x is not null && y is not null && x.Keep.SequenceEqual(y.Keep) && x.Forget.SequenceEqual(y.Forget);

        public int GetHashCode(KeepSelection obj) => obj.Keep.Count;
    }
}
