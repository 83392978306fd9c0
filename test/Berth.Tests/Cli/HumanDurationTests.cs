using Berth.Cli.Output;

namespace Berth.Tests.Cli;

public sealed class HumanDurationTests
{
    [Theory]
    [InlineData(0.0, "0.0s")]
    [InlineData(0.44, "0.4s")]
    [InlineData(12.34, "12.3s")]
    [InlineData(59.9, "59.9s")]
    [InlineData(59.96, "1m00s")]
    [InlineData(185.0, "3m05s")]
    [InlineData(7440.0, "2h04m")]
    [InlineData(273600.0, "3d04h")]
    [InlineData(-5.0, "0.0s")]
    [InlineData(double.NaN, "-")]
    public void Format_Seconds_ReadsLikeAPersonWould(double seconds, string expected)
    {
        Assert.Equal(expected, HumanDuration.Format(seconds));
    }
}
