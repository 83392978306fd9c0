using Berth.Daemon.Containers;
using Berth.Daemon.Metrics;

namespace Berth.Tests.Daemon.Metrics;

public sealed class MetricsUnitTests
{
    [Fact]
    public void Escape_QuoteBackslashNewline_AreEscaped() =>
        Assert.Equal("a\\\\b\\\"c\\nd", PrometheusText.Escape("a\\b\"c\nd"));

    [Theory]
    [InlineData("0-3,6", 5)]
    [InlineData("1", 1)]
    [InlineData("", null)]
    [InlineData("3-1", null)]
    public void CpuCount_Cpuset_CountsCpus(string cpuset, int? expected) => Assert.Equal(expected, CgroupFiles.CpuCount(cpuset));

    [Fact]
    public void Parse_V1SystemdChild_CutsAfterPayload() =>
        Assert.NotNull(CgroupFiles.Parse(CgroupVersion.V1, ["4:memory:/lxc.payload.web/init.scope", "2:cpuacct:/lxc.payload.web"]));

    [Fact]
    public void Parse_DotDot_IsRefused() => Assert.Null(CgroupFiles.Parse(CgroupVersion.V2, ["0::/lxc.payload.web/../../etc"]));

    [Theory]
    [InlineData("1s", true)]
    [InlineData("60s", true)]
    [InlineData("2h", false)]
    [InlineData("0s", false)]
    [InlineData("x", false)]
    public void TryParse_Interval_BoundedOneSecondToOneHour(string text, bool valid) => Assert.Equal(valid, MetricsOptions.TryParse(text, out _));

    [Fact]
    public void Window_LongSince_PicksHourly()
    {
        Assert.True(MetricsEndpoints.Window("7d", null).Hourly);
        Assert.False(MetricsEndpoints.Window("6h", null).Hourly);
        Assert.Throws<Berth.Daemon.Errors.DomainError>(() => MetricsEndpoints.Window("91d", null));
    }

    [Fact]
    public void SeriesHistory_GapAndWrap_KeepsOnlyLiveSlots_AndRoundTrips()
    {
        var series = new SeriesHistory();
        series.Add(10, 1, [1, 2, 3, 4], 5);
        series.Add(12, 1, [3, 2, 3, 4], float.NaN);
        Assert.Equal([10L, 12L], series.Points(0, 20).Select(p => p.Slot));
        Assert.Equal(2, series.Hours(0, 2).Single().Values[0]);
        Assert.Equal(5, series.Hours(0, 2).Single().Values[4]);

        series.Add(12 + SeriesHistory.PointSlots, 2, [7, 7, 7, 7], 1);
        Assert.Equal([12L + SeriesHistory.PointSlots], series.Points(0, long.MaxValue).Select(p => p.Slot));

        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            series.Write(writer);
        }

        stream.Position = 0;
        using var reader = new BinaryReader(stream);
        var read = SeriesHistory.Read(reader, keepPoints: true);
        Assert.Equal(7, read.Points(0, long.MaxValue).Single().Values[0]);
        Assert.Equal(2, read.Hours(0, 10).Count);
    }
}
