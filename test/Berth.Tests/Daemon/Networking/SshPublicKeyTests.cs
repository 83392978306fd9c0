using Berth.Daemon.Networking;

namespace Berth.Tests.Daemon.Networking;

public sealed class SshPublicKeyTests
{
    // A real ed25519 public key (ssh-keygen -t ed25519).
    private const string Ed25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGu3Zv0Tc1J0m0b2j3RkPJ+QwvM2Jv0Q8dJm0PHJb7cl";

    [Fact]
    public void TryParse_ValidKey_KeepsTypeBlobAndComment()
    {
        Assert.True(SshPublicKey.TryParse(Ed25519 + " alice@laptop", out var key, out var error), error);
        Assert.Equal("ssh-ed25519", key!.Type);
        Assert.Equal("alice@laptop", key.Comment);
        Assert.Equal(Ed25519 + " alice@laptop", key.Line);
        Assert.StartsWith("SHA256:", AuthorizedKeys.Fingerprint(key), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIGu3Zv0Tc1J0m0b2j3RkPJ+QwvM2Jv0Q8dJm0PHJb7cl")]
    [InlineData("ssh-ed25519 not*base64")]
    [InlineData("ssh-ed25519")]
    [InlineData("ssh-dss AAAAB3NzaC1kc3M=")]
    [InlineData("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGu3Zv0Tc1J0m0b2j3RkPJ+QwvM2Jv0Q8dJm0PHJb7cl x\nssh-ed25519 AAAA")]
    [InlineData("")]
    [InlineData(Ed25519 + " alice\0@laptop")]
    [InlineData(Ed25519 + " alice\t@laptop")]
    [InlineData(Ed25519 + " alice\u001b[2J")]
    public void TryParse_Malformed_IsRefused(string text)
    {
        Assert.False(SshPublicKey.TryParse(text, out var key, out var error));
        Assert.Null(key);
        Assert.NotEmpty(error);
    }
}
