using Berth.Daemon.Audit;

namespace Berth.Tests.Daemon.Audit;

public sealed class AuditOptionsTests
{
    [Theory]
    [InlineData("90d", 90 * 24)]
    [InlineData("2w", 14 * 24)]
    [InlineData("36h", 36)]
    [InlineData("7.00:00:00", 7 * 24)]
    public void RetentionPeriod_PeriodOrTimeSpan_Parses(string text, int hours) =>
        Assert.Equal(TimeSpan.FromHours(hours), new AuditOptions { Retention = text }.RetentionPeriod);

    [Theory]
    [InlineData("forever")]
    [InlineData("0d")]
    [InlineData("-1.00:00:00")]
    [InlineData("")]
    public void Validate_NotAPositivePeriod_NamesTheSwitch(string text)
    {
        var error = Assert.Throws<ArgumentException>(() => new AuditOptions { Retention = text }.Validate());
        Assert.StartsWith("--audit-retention", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_KeepsNinetyDays() => Assert.Equal(TimeSpan.FromDays(90), new AuditOptions().RetentionPeriod);
}
