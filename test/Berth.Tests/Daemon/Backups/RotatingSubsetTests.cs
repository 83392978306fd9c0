using Berth.Daemon.Backups;

namespace Berth.Tests.Daemon.Backups;

public sealed class RotatingSubsetTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(12)]
    public void Part_NChecksInARow_ReadEveryPartOnce(int parts)
    {
        for (var start = 0L; start < 3L * parts; start += parts - 1 > 0 ? parts - 1 : 1)
        {
            var read = Enumerable.Range(0, parts).Select(i => RotatingSubset.Part(start + i, parts)).ToList();
            Assert.Equal(Enumerable.Range(1, parts).Select(n => $"{n}/{parts}").Order(StringComparer.Ordinal), read.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void Part_FollowsTheCounter()
    {
        Assert.Equal(["1/3", "2/3", "3/3", "1/3"], Enumerable.Range(0, 4).Select(i => RotatingSubset.Part(i, 3)));
        Assert.Equal("4/10", RotatingSubset.Part(123, 10));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, 1001)]
    [InlineData(-1, 5)]
    public void Part_OutOfRange_Throws(long checksRun, int parts) =>
        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => RotatingSubset.Part(checksRun, parts));
}
