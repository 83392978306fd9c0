using Berth.Daemon.Api;
using Berth.Daemon.Users;

namespace Berth.Tests.Daemon.Users;

public sealed class UserNameTests
{
    [Theory]
    [InlineData("admin")]
    [InlineData("alice-2")]
    [InlineData("a")]
    public void IsValid_Label_IsTrue(string name) => Assert.True(UserName.IsValid(name));

    [Theory]
    [InlineData("root")]
    [InlineData("system")]
    [InlineData("Alice")]
    [InlineData("alice_b")]
    [InlineData("alice.b")]
    [InlineData("-alice")]
    [InlineData("alice-")]
    [InlineData("1alice")]
    [InlineData("")]
    [InlineData(null)]
    public void IsValid_NotALabelOrReserved_IsFalse(string? name) => Assert.False(UserName.IsValid(name));

    [Fact]
    public void Validate_Reserved_SaysSo() =>
        Assert.Contains("reserved", Assert.Throws<BerthProblem>(() => UserName.Validate("root")).Message, StringComparison.Ordinal);

    [Fact]
    public void Invalid_ControlCharacters_AreShownVisibly() =>
        Assert.Contains("\\n", UserName.Invalid("a\nb").Message, StringComparison.Ordinal);
}
