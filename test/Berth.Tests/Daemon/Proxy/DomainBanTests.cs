using Berth.Daemon.Proxy;

namespace Berth.Tests.Daemon.Proxy;

public sealed class DomainBanTests
{
    [Theory]
    [InlineData("*.example.org", "a.example.org", true)]
    [InlineData("*.example.org", "a.b.example.org", true)]
    [InlineData("*.example.org", "example.org", false)]
    [InlineData("*.example.org", "badexample.org", false)]
    [InlineData("example.org", "example.org", true)]
    [InlineData("example.org", "a.example.org", false)]
    public void Matches_ExactAndSuffix(string pattern, string domain, bool matches) => Assert.Equal(matches, DomainBan.Matches(pattern, domain));

    [Theory]
    [InlineData("*.Bücher.example", "*.xn--bcher-kva.example")]
    [InlineData("EXAMPLE.org", "example.org")]
    public void TryNormalise_Valid_Punycode(string text, string expected)
    {
        Assert.True(DomainBan.TryNormalise(text, out var pattern, out var error), error);
        Assert.Equal(expected, pattern);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("*.")]
    [InlineData("a.*.example.org")]
    [InlineData("**.example.org")]
    [InlineData("")]
    public void TryNormalise_Malformed_False(string text) => Assert.False(DomainBan.TryNormalise(text, out _, out _));
}
