using Berth.Daemon.Updates;

namespace Berth.Tests.Daemon.Updates;

public sealed class UpdateWindowTests
{
    private static DateTimeOffset At(int day, int hour, int minute) => new(2026, 12, day, hour, minute, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("02:00-05:00")]
    [InlineData("22:00-02:00")]
    [InlineData("00:00-24:00")]
    public void TryParse_ValidRange_RoundTrips(string text)
    {
        Assert.True(UpdateWindow.TryParse(text, out var window));
        Assert.Equal(text, window.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("02:00")]
    [InlineData("2:00-5:00")]
    [InlineData("25:00-03:00")]
    [InlineData("02:60-03:00")]
    [InlineData("03:00-03:00")]
    [InlineData("02:00-05:00-06:00")]
    [InlineData("-1:00-02:00")]
    public void TryParse_BadRange_IsRefused(string text) => Assert.False(UpdateWindow.TryParse(text, out _));

    [Fact]
    public void Contains_SameDayWindow_IncludesStartExcludesEnd()
    {
        Assert.True(UpdateWindow.TryParse("02:00-05:00", out var window));
        Assert.True(window.Contains(At(2, 2, 0)));
        Assert.True(window.Contains(At(2, 4, 59)));
        Assert.False(window.Contains(At(2, 5, 0)));
        Assert.False(window.Contains(At(2, 1, 59)));
    }

    [Fact]
    public void Contains_WindowAcrossMidnight_IncludesBothSides()
    {
        Assert.True(UpdateWindow.TryParse("22:00-02:00", out var window));
        Assert.True(window.Contains(At(2, 23, 0)));
        Assert.True(window.Contains(At(3, 1, 0)));
        Assert.False(window.Contains(At(2, 12, 0)));
    }

    [Fact]
    public void OpenAtOrAfter_OutsideTheWindow_IsItsNextStart()
    {
        Assert.True(UpdateWindow.TryParse("02:00-05:00", out var window));
        Assert.Equal(At(3, 2, 0), window.OpenAtOrAfter(At(2, 6, 0)));
        Assert.Equal(At(2, 2, 0), window.OpenAtOrAfter(At(2, 1, 0)));
        Assert.Equal(At(2, 3, 0), window.OpenAtOrAfter(At(2, 3, 0)));
    }

    [Fact]
    public void NextDue_NeverRun_IsNowInsideTheWindow_ElseLastPlusPeriod()
    {
        Assert.True(UpdateWindow.TryParse("02:00-05:00", out var window));
        var settings = new UpdateSettings(true, "15d", TimeSpan.FromDays(15), window);
        Assert.Equal(At(3, 2, 0), settings.NextDue(null, At(2, 12, 0)));
        Assert.Equal(At(2, 3, 0), settings.NextDue(null, At(2, 3, 0)));
        Assert.Equal(At(17, 3, 0), settings.NextDue(At(2, 3, 0), At(2, 3, 30)));
        Assert.Equal(At(18, 2, 0), settings.NextDue(At(2, 12, 0), At(2, 12, 30)));
    }

    [Fact]
    public void Of_ContainerKeys_OverrideTheDaemonDefaults()
    {
        var options = new UpdateOptions { Auto = true, Every = "7d", Window = "01:00-02:00" };
        var defaults = UpdateSettings.Of(new Dictionary<string, string>(), options);
        Assert.Equal((true, "7d", "01:00-02:00"), (defaults.Auto, defaults.Every, defaults.Window.ToString()));
        var own = UpdateSettings.Of(new Dictionary<string, string> { ["updates.auto"] = "false", ["updates.every"] = "15d", ["updates.window"] = "22:00-02:00" }, options);
        Assert.Equal((false, "15d", TimeSpan.FromDays(15), "22:00-02:00"), (own.Auto, own.Every, own.Period, own.Window.ToString()));
    }
}
