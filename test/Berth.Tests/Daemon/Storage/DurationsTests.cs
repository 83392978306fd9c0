using Berth.Daemon.Storage;

namespace Berth.Tests.Daemon.Storage;

public sealed class DurationsTests
{
    [Theory]
    [InlineData("30m", 30 * 60)]
    [InlineData("12h", 12 * 3600)]
    [InlineData("7d", 7 * 86400)]
    [InlineData("2w", 14 * 86400)]
    [InlineData(" 1d ", 86400)]
    public void TryParse_ValidPeriods_GivesTheirLength(string text, int seconds)
    {
        Assert.True(Durations.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("7")]
    [InlineData("d")]
    [InlineData("0d")]
    [InlineData("-1d")]
    [InlineData("1y")]
    [InlineData("1.5d")]
    [InlineData("7D")]
    [InlineData("999999d")]
    public void TryParse_Invalid_IsRefused(string? text) => Assert.False(Durations.TryParse(text, out _));
}
