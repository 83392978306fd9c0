using Berth.Daemon.Access;
using Berth.Daemon.Errors;
using Berth.Daemon.Users;

namespace Berth.Tests.Daemon.Users;

public sealed class TokenScopesTests
{
    [Theory]
    [InlineData(null, TokenScope.Full)]
    [InlineData("full", TokenScope.Full)]
    [InlineData("metrics", TokenScope.Metrics)]
    public void FromRequest_KnownScopes(string? text, TokenScope expected) => Assert.Equal(expected, TokenScopes.FromRequest(text));

    [Theory]
    [InlineData("")]
    [InlineData("Metrics")]
    [InlineData("admin")]
    public void FromRequest_Unknown_IsInvalid(string text) =>
        Assert.Equal(ErrorKind.Invalid, Assert.Throws<DomainError>(() => TokenScopes.FromRequest(text)).Kind);

    [Fact]
    public void Parse_AnythingButFull_NeverWidensAToken()
    {
        Assert.Equal(TokenScope.Full, TokenScopes.Parse("full"));
        Assert.Equal(TokenScope.Metrics, TokenScopes.Parse("metrics"));
        Assert.Equal(TokenScope.Metrics, TokenScopes.Parse("garbage"));
    }

    [Fact]
    public void Text_RoundTrips() => Assert.All(Enum.GetValues<TokenScope>(), s => Assert.Equal(s, TokenScopes.Parse(TokenScopes.Text(s))));
}
