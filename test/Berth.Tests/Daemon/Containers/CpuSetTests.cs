using Berth.Daemon.Containers;

namespace Berth.Tests.Daemon.Containers;

public sealed class CpuSetTests
{
    [Theory]
    [InlineData("0", new[] { 0 })]
    [InlineData("0,1", new[] { 0, 1 })]
    [InlineData("0-3", new[] { 0, 1, 2, 3 })]
    [InlineData("0-1,4", new[] { 0, 1, 4 })]
    [InlineData("4,0-1", new[] { 0, 1, 4 })]
    [InlineData("1,1,0-1", new[] { 0, 1 })]
    [InlineData("1023", new[] { 1023 })]
    public void TryParse_ValidList_ReturnsSortedDistinctCpus(string text, int[] expected)
    {
        Assert.True(CpuSet.TryParse(text, out var cpus));
        Assert.Equal(expected, cpus);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("0 , 2")]
    [InlineData("0,\n1")]
    [InlineData("a")]
    [InlineData("3-1")]
    [InlineData("1-")]
    [InlineData("-1")]
    [InlineData("0,")]
    [InlineData("0,,1")]
    [InlineData("0-1-2")]
    [InlineData("+1")]
    [InlineData("1024")]
    [InlineData("0-1024")]
    public void TryParse_InvalidList_ReturnsFalse(string text)
    {
        Assert.False(CpuSet.TryParse(text, out _));
    }
}
