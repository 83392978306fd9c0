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
    public void IsDeadOn_ARunningRestic_IsLive_UnlessItStartedAfterTheLock()
    {
        // A process named restic (a copy of sleep): the owner of a lock taken now, but not of one taken before it started.
        var dir = Directory.CreateTempSubdirectory("berth-lock-");
        try
        {
            var restic = Path.Combine(dir.FullName, "restic");
            File.Copy("/bin/sleep", restic);
            File.SetUnixFileMode(restic, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            using var process = System.Diagnostics.Process.Start(restic, "30")!;
            try
            {
                var host = ResticLock.ThisHost();
                for (var i = 0; i < 100 && File.ReadAllText($"/proc/{process.Id}/comm").Trim() != "restic"; i++)
                {
                    Thread.Sleep(20);
                }

                Assert.False(new ResticLock("id", DateTimeOffset.UtcNow, false, host, process.Id).IsDeadOn(host));
                Assert.True(new ResticLock("id", DateTimeOffset.UtcNow.AddMinutes(-5), false, host, process.Id).IsDeadOn(host));
            }
            finally
            {
                process.Kill();
                process.WaitForExit();
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
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
