using Berth.Daemon.Proxy;

namespace Berth.Tests.Daemon.Proxy;

public sealed class DomainNameTests
{
    [Theory]
    [InlineData("app.test", "app.test")]
    [InlineData("Wiki.Example.ORG.", "wiki.example.org")]
    [InlineData("bücher.example", "xn--bcher-kva.example")]
    [InlineData("xn--bcher-kva.example", "xn--bcher-kva.example")]
    [InlineData("localhost", "localhost")]
    public void TryNormalise_ValidName_Ascii(string input, string expected)
    {
        Assert.True(DomainName.TryNormalise(input, out var ascii, out var error), error);
        Assert.Equal(expected, ascii);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a..b")]
    [InlineData("-a.test")]
    [InlineData("a-.test")]
    [InlineData("a_b.test")]
    [InlineData("app.test;")]
    [InlineData("app.test\nserver_name evil")]
    [InlineData("app test")]
    [InlineData("a\u0000.test")]
    [InlineData("*.example.org")]
    [InlineData("10.0.0.1")]
    [InlineData("app.test/x")]
    [InlineData("app.test:80")]
    public void TryNormalise_Malformed_FalseWithReason(string input)
    {
        Assert.False(DomainName.TryNormalise(input, out _, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void TryNormalise_LabelOf64_False() => Assert.False(DomainName.TryNormalise(new string('a', 64) + ".test", out _, out _));

    [Fact]
    public void ToUnicode_Punycode_ShowsUnicode() => Assert.Equal("bücher.example", DomainName.ToUnicode("xn--bcher-kva.example"));
}
