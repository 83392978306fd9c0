using Berth.Daemon.Hosting;

namespace Berth.Tests.Daemon.Hosting;

public sealed class HostClaimTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"berth-claims-{Guid.NewGuid():N}");

    [Fact]
    public void TryTake_HeldByAnother_RefusedNamingItsStateDirAndPid()
    {
        var owner = new StatePaths(new BerthOptions { StateDir = "/tmp/owner-state" });
        using var held = HostClaim.TryTake("nft-x", owner, out _, _directory);
        Assert.NotNull(held);

        var second = HostClaim.TryTake("nft-x", new StatePaths(new BerthOptions { StateDir = "/tmp/other-state" }), out var holder, _directory);

        Assert.Null(second);
        Assert.Equal($"the berthd of /tmp/owner-state (pid {Environment.ProcessId})", holder);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_directory));
    }

    [Fact]
    public void TryTake_AfterTheOwnerLetGo_Succeeds()
    {
        var paths = new StatePaths(new BerthOptions { StateDir = "/tmp/first" });
        HostClaim.TryTake("bridge-b0", paths, out _, _directory)!.Dispose();

        using var again = HostClaim.TryTake("bridge-b0", new StatePaths(new BerthOptions { StateDir = "/tmp/second" }), out var holder, _directory);

        Assert.NotNull(again);
        Assert.Equal("/tmp/second", holder);
        Assert.StartsWith("/tmp/second\n", File.ReadAllText(Path.Combine(_directory, "bridge-b0.owner")), StringComparison.Ordinal);
    }

    [Fact]
    public void TryTake_DifferentResources_BothHeld()
    {
        var paths = new StatePaths(new BerthOptions { StateDir = "/tmp/one" });
        using var table = HostClaim.TryTake("nft-a", paths, out _, _directory);
        using var other = HostClaim.TryTake("nft-b", paths, out _, _directory);

        Assert.NotNull(table);
        Assert.NotNull(other);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
