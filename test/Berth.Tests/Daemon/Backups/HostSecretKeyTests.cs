using Berth.Daemon.Backups;
using Berth.Daemon.Errors;
using Berth.Daemon.Hosting;

namespace Berth.Tests.Daemon.Backups;

public sealed class HostSecretKeyTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void Seal_ThenOpen_GivesThePlaintext_AndTheKeyFileIsRootsAlone()
    {
        var key = new HostSecretKey(new StatePaths(new BerthOptions { StateDir = _dir.Path }));
        var sealedValue = key.Seal("repository-password", "offsite");
        Assert.DoesNotContain("repository-password", sealedValue, StringComparison.Ordinal);
        Assert.NotEqual(sealedValue, key.Seal("repository-password", "offsite")); // a fresh nonce each time
        Assert.Equal("repository-password", new HostSecretKey(new StatePaths(new BerthOptions { StateDir = _dir.Path })).Open(sealedValue, "offsite"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key.KeyFile));
    }

    [Fact]
    public void Open_UnderAnotherTargetsName_OrAnotherKey_IsRefused()
    {
        var key = new HostSecretKey(new StatePaths(new BerthOptions { StateDir = _dir.Path }));
        var sealedValue = key.Seal("repository-password", "offsite");
        Assert.Equal(ErrorKind.Conflict, Assert.Throws<DomainError>(() => key.Open(sealedValue, "other")).Kind);

        using var elsewhere = new TempDirectory();
        var otherKey = new HostSecretKey(new StatePaths(new BerthOptions { StateDir = elsewhere.Path }));
        Assert.Throws<DomainError>(() => otherKey.Open(sealedValue, "offsite"));
    }

    public void Dispose() => _dir.Dispose();
}
