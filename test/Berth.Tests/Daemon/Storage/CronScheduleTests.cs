using Berth.Daemon.Storage;

namespace Berth.Tests.Daemon.Storage;

public sealed class CronScheduleTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 4, 17, 30, TimeSpan.Zero); // a Sunday

    [Theory]
    [InlineData("@hourly", "2026-11-22T05:00:00Z")]
    [InlineData("@daily", "2026-11-23T00:00:00Z")]
    [InlineData("@weekly", "2026-11-29T00:00:00Z")]
    [InlineData("@monthly", "2026-12-01T00:00:00Z")]
    [InlineData("* * * * *", "2026-11-22T04:18:00Z")]
    [InlineData("*/15 * * * *", "2026-11-22T04:30:00Z")]
    [InlineData("0 3 * * *", "2026-11-23T03:00:00Z")]
    [InlineData("30 4,16 * * *", "2026-11-22T04:30:00Z")]
    [InlineData("0 9-17/4 * * 1-5", "2026-11-23T09:00:00Z")]
    [InlineData("0 0 29 2 *", "2028-02-29T00:00:00Z")]
    [InlineData("0 12 * * 7", "2026-11-22T12:00:00Z")]
    [InlineData("@yearly", "2027-01-01T00:00:00Z")]
    [InlineData("@annually", "2027-01-01T00:00:00Z")]
    [InlineData("0 3 * * mon-fri", "2026-11-23T03:00:00Z")]
    [InlineData("0 3 * * SAT", "2026-11-28T03:00:00Z")]
    [InlineData("0 3 * * sun,wed", "2026-11-25T03:00:00Z")]
    [InlineData("0 0 1 jan,jul *", "2027-01-01T00:00:00Z")]
    [InlineData("0 0 1 Dec *", "2026-12-01T00:00:00Z")]
    [InlineData("0 2 * * 5-7", "2026-11-27T02:00:00Z")]
    [InlineData("30 5 * * 1-7", "2026-11-22T05:30:00Z")]
    [InlineData("0 1 * * 6-7", "2026-11-28T01:00:00Z")]
    public void Next_MatchesTheExpression(string expression, string expected)
    {
        Assert.True(CronSchedule.TryParse(expression, out var schedule));
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), schedule.Next(Start));
    }

    [Fact]
    public void Next_IsStrictlyAfter()
    {
        Assert.True(CronSchedule.TryParse("@hourly", out var schedule));
        var exactlyOnTheHour = new DateTimeOffset(2026, 1, 1, 5, 0, 0, TimeSpan.Zero);
        Assert.Equal(exactlyOnTheHour.AddHours(1), schedule.Next(exactlyOnTheHour));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("@sometimes")]
    [InlineData("* * * *")]
    [InlineData("60 * * * *")]
    [InlineData("* 24 * * *")]
    [InlineData("* * 0 * *")]
    [InlineData("* * * 13 *")]
    [InlineData("*/0 * * * *")]
    [InlineData("5-1 * * * *")]
    [InlineData("a * * * *")]
    [InlineData("0 0 * * 8")]
    [InlineData("0 0 * * monday")]
    [InlineData("0 0 * foo *")]
    [InlineData("@weekly 1")]
    public void TryParse_Invalid_IsRefused(string? expression) => Assert.False(CronSchedule.TryParse(expression, out _));
}
