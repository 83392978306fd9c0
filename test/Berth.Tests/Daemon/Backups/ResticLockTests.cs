using Berth.Daemon.Backups;

namespace Berth.Tests.Daemon.Backups;

public sealed class ResticLockTests
{
    private static ResticLock Lock(string host, int pid) => new("id", DateTimeOffset.UtcNow, false, host, pid);

    [Fact]
    public void IsDeadOn_AGonePidOfThisHost_IsDead()
    {
        using var process = System.Diagnostics.Process.Start("true")!;
        process.WaitForExit();
        Assert.True(Lock(ResticLock.ThisHost(), process.Id).IsDeadOn(ResticLock.ThisHost()));
    }

    [Fact]
    public void IsDeadOn_ALiveProcessThatIsNotRestic_IsDead()
    {
        // Our own pid lives, but it is not restic: a reused pid must not keep a dead restic's lock forever.
        Assert.True(Lock(ResticLock.ThisHost(), Environment.ProcessId).IsDeadOn(ResticLock.ThisHost()));
    }

    [Fact]
    public void IsDeadOn_AnotherHostsLock_IsNeverDead()
    {
        Assert.False(Lock("some-other-host", int.MaxValue).IsDeadOn(ResticLock.ThisHost()));
    }

    [Fact]
    public void ThisHost_IsTheKernelHostName()
    {
        Assert.Equal(File.ReadAllText("/proc/sys/kernel/hostname").Trim(), ResticLock.ThisHost());
    }
}
