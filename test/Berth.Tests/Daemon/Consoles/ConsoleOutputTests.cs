using System.Text;
using Berth.Daemon.Consoles;

namespace Berth.Tests.Daemon.Consoles;

public sealed class ConsoleOutputTests
{
    [Fact]
    public void Read_AfterOverwrite_StartsAtTheOldestByteKept()
    {
        var output = new ConsoleOutput(8);
        output.Append("abcdefghijkl"u8);
        long offset = 0;
        var buffer = new byte[16];
        var n = output.Read(ref offset, buffer);
        Assert.Equal("efghijkl", Encoding.ASCII.GetString(buffer, 0, n));
        Assert.Equal(4, offset);
    }

    [Fact]
    public void ReplayStart_OnceOverwritten_SkipsTheHalfLine()
    {
        var output = new ConsoleOutput(8);
        output.Append("one\ntwo\nthree"u8);
        var offset = output.ReplayStart();
        var buffer = new byte[16];
        var n = output.Read(ref offset, buffer);
        Assert.Equal("three", Encoding.ASCII.GetString(buffer, 0, n));
    }

    [Fact]
    public void WaitForSpace_WithAReaderBehind_OffersOnlyWhatItHasNotBeenSent()
    {
        var output = new ConsoleOutput(8);
        output.SetReader(0);
        output.Append("abcde"u8);
        Assert.Equal(3, output.WaitForSpace(16));
        output.SetReader(null);
        Assert.Equal(16, output.WaitForSpace(16));
    }

    [Theory]
    [InlineData("60s", 60)]
    [InlineData("2s", 2)]
    [InlineData("5m", 300)]
    [InlineData("00:01:30", 90)]
    public void GracePeriod_ReadsSecondsMinutesAndTimeSpans(string text, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), new ConsoleOptions { Grace = text }.GracePeriod);

    [Theory]
    [InlineData("0s")]
    [InlineData("10x")]
    [InlineData("-00:00:05")]
    public void GracePeriod_Invalid_NamesTheSwitch(string text) =>
        Assert.Contains("--console-grace", Assert.Throws<ArgumentException>(() => new ConsoleOptions { Grace = text }.GracePeriod).Message, StringComparison.Ordinal);
}
