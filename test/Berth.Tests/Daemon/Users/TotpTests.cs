using System.Text;
using Berth.Daemon.Users;

namespace Berth.Tests.Daemon.Users;

public sealed class TotpTests
{
    // RFC 6238 appendix B, SHA-1 key "12345678901234567890".
    private static readonly byte[] RfcKey = Encoding.ASCII.GetBytes("12345678901234567890");

    [Theory]
    [InlineData(59L, "94287082")]
    [InlineData(1111111109L, "07081804")]
    [InlineData(1111111111L, "14050471")]
    [InlineData(1234567890L, "89005924")]
    [InlineData(2000000000L, "69279037")]
    [InlineData(20000000000L, "65353130")]
    public void Code_Rfc6238Vectors_Match(long unixSeconds, string expected) =>
        Assert.Equal(expected, Totp.Code(RfcKey, Totp.StepAt(DateTimeOffset.FromUnixTimeSeconds(unixSeconds)), digits: 8));

    [Fact]
    public void Code_SixDigits_IsTheLastSixOfTheEight() =>
        Assert.Equal("287082", Totp.Code(RfcKey, Totp.StepAt(DateTimeOffset.FromUnixTimeSeconds(59))));

    [Fact]
    public void Match_CodeOfAdjacentStep_IsAccepted_TwoStepsAway_IsNot()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        var step = Totp.StepAt(now);

        Assert.Equal(step, Totp.Match(RfcKey, Totp.Code(RfcKey, step), now));
        Assert.Equal(step - 1, Totp.Match(RfcKey, Totp.Code(RfcKey, step - 1), now));
        Assert.Equal(step + 1, Totp.Match(RfcKey, Totp.Code(RfcKey, step + 1), now));
        Assert.Null(Totp.Match(RfcKey, Totp.Code(RfcKey, step - 2), now));
        Assert.Null(Totp.Match(RfcKey, Totp.Code(RfcKey, step + 2), now));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("abcdef")]
    [InlineData("1234567")]
    public void Match_Malformed_IsNull(string? code) =>
        Assert.Null(Totp.Match(RfcKey, code, DateTimeOffset.FromUnixTimeSeconds(59)));

    [Fact]
    public void Uri_CarriesTheKeyInBase32_AndTheAccount()
    {
        var uri = Totp.Uri("Berth", "alice", RfcKey);

        Assert.Equal("otpauth://totp/Berth:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Berth&algorithm=SHA1&digits=6&period=30", uri);
    }

    [Fact]
    public void Base32_RoundTrips()
    {
        var secret = Totp.NewSecret();

        Assert.Equal(secret, Base32.Decode(Base32.Encode(secret)));
        Assert.Equal("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", Base32.Encode(RfcKey));
        Assert.Equal("MZXW6", Base32.Encode("foo"u8));
        Assert.Equal("foob"u8.ToArray(), Base32.Decode("mzxw6yq="));
    }
}
