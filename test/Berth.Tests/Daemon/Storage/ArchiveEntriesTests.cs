using Berth.Daemon.Storage;

namespace Berth.Tests.Daemon.Storage;

public sealed class ArchiveEntriesTests
{
    private static bool Member(string name) => name is "berth.json" || name.Split('/')[0] == "rootfs";

    [Theory]
    [InlineData("-rw-r--r-- 0/0               2 2024-01-01 00:00 berth.json")]
    [InlineData("drwxr-xr-x 0/0               0 2024-01-01 00:00 rootfs/")]
    [InlineData("lrwxrwxrwx 0/0               0 2024-01-01 00:00 rootfs/bin/sh -> /bin/busybox")]
    [InlineData("-rw-r--r-- 0/0               1 2024-01-01 00:00 rootfs/a file with spaces")]
    [InlineData("crw-rw-rw- 0/0             1,3 2024-01-01 00:00 rootfs/dev/null")]
    [InlineData("hrw-r--r-- 0/0               0 2024-01-01 00:00 rootfs/b link to rootfs/a")]
    public void Problem_OrdinaryMembers_AreFine(string line) => Assert.Null(ArchiveEntries.Problem(line, Member, out _));

    [Theory]
    [InlineData("-rw-r--r-- 0/0               1 2024-01-01 00:00 ../escape")]
    [InlineData("-rw-r--r-- 0/0               1 2024-01-01 00:00 rootfs/../../escape")]
    [InlineData("-rw-r--r-- 0/0               1 2024-01-01 00:00 /etc/cron.d/x")]
    [InlineData("-rw-r--r-- 0/0               1 2024-01-01 00:00 other/file")]
    [InlineData("brw-r--r-- 0/0             8,0 2024-01-01 00:00 rootfs/dev/sda")]
    [InlineData("crw-r--r-- 0/0             1,1 2024-01-01 00:00 rootfs/dev/mem")]
    [InlineData("hrw-r--r-- 0/0               0 2024-01-01 00:00 rootfs/hl link to etc/shadow")]
    [InlineData("garbage")]
    public void Problem_UnsafeMembers_AreNamed(string line) => Assert.NotNull(ArchiveEntries.Problem(line, Member, out _));

    [Fact]
    public void Problem_RootfsDirectory_IsNoticed()
    {
        Assert.Null(ArchiveEntries.Problem("drwxr-xr-x 0/0               0 2024-01-01 00:00 rootfs/", Member, out var isRootfs));
        Assert.True(isRootfs);
    }
}
