using Berth.Daemon.Containers;

namespace Berth.Tests.Daemon.Containers;

public sealed class ByteSizeTests
{
    [Theory]
    [InlineData("256MiB", 268_435_456L)]
    [InlineData("1GiB", 1_073_741_824L)]
    [InlineData("512MB", 512_000_000L)]
    [InlineData("1048576", 1_048_576L)]
    [InlineData("1.5GiB", 1_610_612_736L)]
    [InlineData("64KiB", 65_536L)]
    [InlineData("2k", 2_048L)]
    [InlineData("1g", 1_073_741_824L)]
    [InlineData("100B", 100L)]
    [InlineData("1TB", 1_000_000_000_000L)]
    [InlineData("  256MiB  ", 268_435_456L)]
    [InlineData("256 MiB", 268_435_456L)]
    public void TryParse_ValidSize_ReturnsBytes(string text, long expected)
    {
        Assert.True(ByteSize.TryParse(text, out var bytes));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("0")]
    [InlineData("0MiB")]
    [InlineData("-1")]
    [InlineData("-1GiB")]
    [InlineData("lots")]
    [InlineData("10XB")]
    [InlineData("MiB")]
    [InlineData("1.5.0GiB")]
    [InlineData("1,5GiB")]
    [InlineData("0.5")]
    [InlineData("9223372036854775808")]
    [InlineData("99999999999999999999999999TiB")]
    public void TryParse_InvalidSize_ReturnsFalseAndZero(string? text)
    {
        Assert.False(ByteSize.TryParse(text, out var bytes));
        Assert.Equal(0, bytes);
    }

    [Fact]
    public void TryParse_LongMaxValue_Accepted()
    {
        Assert.True(ByteSize.TryParse("9223372036854775807", out var bytes));
        Assert.Equal(long.MaxValue, bytes);
    }
}
