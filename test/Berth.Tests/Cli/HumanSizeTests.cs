using Berth.Cli.Output;

namespace Berth.Tests.Cli;

public sealed class HumanSizeTests
{
    [Theory]
    [InlineData(0L, "0 B")]
    [InlineData(1023L, "1023 B")]
    [InlineData(1024L, "1 KiB")]
    [InlineData(1536L, "1.5 KiB")]
    [InlineData(1468006L, "1.4 MiB")]
    [InlineData(268435456L, "256 MiB")]
    [InlineData(1073741824L, "1 GiB")]
    [InlineData(1048575L, "1 MiB")]
    public void Format_Bytes_UsesBinaryUnitsAndOneDecimal(long bytes, string expected)
    {
        Assert.Equal(expected, HumanSize.Format(bytes));
    }

    [Fact]
    public void Format_Negative_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => HumanSize.Format(-1));
    }
}
