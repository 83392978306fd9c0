using Berth.Daemon.Api;
using Berth.Daemon.Users;

namespace Berth.Tests.Daemon.Users;

public sealed class PasswordsTests
{
    [Fact]
    public void Verify_RightPassword_IsTrue_WrongIsFalse()
    {
        var hash = Passwords.Hash("correct horse battery");

        Assert.True(Passwords.Verify(hash, "correct horse battery"));
        Assert.False(Passwords.Verify(hash, "correct horse batterY"));
        Assert.False(Passwords.Verify(hash, ""));
        Assert.False(Passwords.Verify(hash, null));
    }

    [Fact]
    public void Hash_IsSalted_AndHoldsNoPassword()
    {
        var first = Passwords.Hash("correct horse battery");
        var second = Passwords.Hash("correct horse battery");

        Assert.NotEqual(first, second);
        Assert.DoesNotContain("correct", first, StringComparison.Ordinal);
        Assert.True(Passwords.Verify(second, "correct horse battery"));
    }

    [Fact]
    public void Verify_NoHash_IsFalse_EvenForTheDecoysPassword() =>
        Assert.False(Passwords.Verify(null, "anything at all"));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("has\nnewline")]
    public void Validate_Weak_IsABadRequest(string? password) =>
        Assert.Equal(400, Assert.Throws<BerthProblem>(() => Passwords.Validate(password)).Status);

    [Fact]
    public void SecretHash_Matches_OnlyTheSameSecret()
    {
        var stored = SecretHash.Of("berth_0011223344556677_secret");

        Assert.True(SecretHash.Matches("berth_0011223344556677_secret", stored));
        Assert.False(SecretHash.Matches("berth_0011223344556677_secreT", stored));
        Assert.False(SecretHash.Matches(null, stored));
        Assert.Equal(64, stored.Length);
    }

    [Fact]
    public void ApiToken_New_HasItsIdInside_AndTheShapeIsChecked()
    {
        var (id, token) = ApiToken.New();

        Assert.Equal(id, ApiToken.IdOf(token));
        Assert.StartsWith($"berth_{id}_", token, StringComparison.Ordinal);
        Assert.Null(ApiToken.IdOf("berth_nothex_x"));
        Assert.Null(ApiToken.IdOf(token + "x"));
        Assert.Null(ApiToken.IdOf("some-admin-token"));
    }
}
