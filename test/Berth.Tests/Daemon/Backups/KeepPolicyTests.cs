using Berth.Daemon.Backups.Policy;

namespace Berth.Tests.Daemon.Backups;

public sealed class KeepPolicyTests
{
    private const string Allowed = "last, hourly, daily, weekly, monthly, yearly";

    [Fact]
    public void TryParse_AllRules_ReadsEachCount()
    {
        Assert.True(KeepPolicy.TryParse("last=3,hourly=24,daily=7,weekly=4,monthly=6,yearly=1", out var policy, out var error), error);
        Assert.Equal(new KeepPolicy { Last = 3, Hourly = 24, Daily = 7, Weekly = 4, Monthly = 6, Yearly = 1 }, policy);
        Assert.Equal("", error);
    }

    [Theory]
    [InlineData("daily=7", "daily=7")]
    [InlineData("yearly=1,last=3", "last=3,yearly=1")]
    [InlineData(" weekly = 4 , daily=7 ", "daily=7,weekly=4")]
    [InlineData("monthly=10000", "monthly=10000")]
    [InlineData("hourly=1,monthly=6,daily=07", "hourly=1,daily=7,monthly=6")]
    public void TryParse_AnySubset_GivesTheCanonicalForm(string text, string canonical)
    {
        Assert.True(KeepPolicy.TryParse(text, out var policy, out var error), error);
        Assert.Equal(canonical, policy.ToString());
        Assert.True(KeepPolicy.TryParse(policy.ToString(), out var again, out _));
        Assert.Equal(policy, again);
    }

    [Theory]
    [InlineData("dayly=7", "\"dayly=7\"")]
    [InlineData("last=3,keep-daily=7", "\"keep-daily=7\"")]
    [InlineData("daily=7,daily=3", "given twice")]
    [InlineData("last=3,weekly", "\"weekly\"")]
    public void TryParse_BadName_NamesThePartAndTheAllowedRules(string text, string expected)
    {
        Assert.False(KeepPolicy.TryParse(text, out var policy, out var error));
        Assert.Null(policy);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        if (!text.EndsWith("weekly", StringComparison.Ordinal))
        {
            Assert.Contains(Allowed, error, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("daily=0", "\"daily=0\"")]
    [InlineData("last=-1", "\"last=-1\"")]
    [InlineData("last=+1", "\"last=+1\"")]
    [InlineData("weekly=10001", "\"weekly=10001\"")]
    [InlineData("weekly=99999999999", "\"weekly=99999999999\"")]
    [InlineData("monthly=1.5", "\"monthly=1.5\"")]
    [InlineData("yearly=x", "\"yearly=x\"")]
    [InlineData("hourly=", "\"hourly=\"")]
    [InlineData("hourly=٣", "\"hourly=٣\"")]
    public void TryParse_BadCount_NamesThePartAndTheRange(string text, string part)
    {
        Assert.False(KeepPolicy.TryParse(text, out _, out var error));
        Assert.Contains(part, error, StringComparison.Ordinal);
        Assert.Contains(text.EndsWith('=') ? "needs a count" : "from 1 to 10000", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t")]
    public void TryParse_Nothing_SaysHowToWriteARule(string? text)
    {
        Assert.False(KeepPolicy.TryParse(text, out _, out var error));
        Assert.Contains("e.g. last=3,daily=7", error, StringComparison.Ordinal);
        Assert.Contains(Allowed, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("last=3,")]
    [InlineData(",last=3")]
    [InlineData("last=3,,daily=7")]
    [InlineData("last=3, ,daily=7")]
    public void TryParse_EmptyRule_IsRefused(string text)
    {
        Assert.False(KeepPolicy.TryParse(text, out _, out var error));
        Assert.Contains("empty rule", error, StringComparison.Ordinal);
    }

    [Fact]
    public void KeepsAll_OnlyWithoutAnyRule()
    {
        Assert.True(new KeepPolicy().KeepsAll);
        Assert.False(new KeepPolicy { Yearly = 1 }.KeepsAll);
        Assert.Equal("", new KeepPolicy().ToString());
    }
}
