using Berth.Daemon.Proxy;

namespace Berth.Tests.Daemon.Proxy;

public sealed class RoutePathTests
{
    [Theory]
    [InlineData(null, "/")]
    [InlineData("/", "/")]
    [InlineData("/jenkins", "/jenkins/")]
    [InlineData("/jenkins/", "/jenkins/")]
    [InlineData("/a/b.c/~d_e-f/", "/a/b.c/~d_e-f/")]
    public void TryNormalise_Valid_EndsWithSlash(string? input, string expected)
    {
        Assert.True(RoutePath.TryNormalise(input, out var path, out var error), error);
        Assert.Equal(expected, path);
    }

    [Theory]
    [InlineData("jenkins/")]
    [InlineData("//")]
    [InlineData("/a//b/")]
    [InlineData("/../etc/")]
    [InlineData("/./")]
    [InlineData("/a b/")]
    [InlineData("/a;b/")]
    [InlineData("/a{b}/")]
    [InlineData("/a\n/")]
    [InlineData("/a?b/")]
    [InlineData("/a+b/")]
    [InlineData("/$host/")]
    public void TryNormalise_Malformed_False(string input) => Assert.False(RoutePath.TryNormalise(input, out _, out _));
}
