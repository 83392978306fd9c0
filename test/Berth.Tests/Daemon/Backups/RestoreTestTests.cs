using Berth.Daemon.Backups;

namespace Berth.Tests.Daemon.Backups;

public sealed class RestoreTestTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("berth-restoretest-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Permissions_GoFileModeBits_AreOctalPermissions()
    {
        Assert.Equal(Convert.ToInt32("755", 8), new ResticNode("/d", "dir", 0, 2147484141, 0, 0, null).Permissions);
        Assert.Equal(Convert.ToInt32("4755", 8), new ResticNode("/f", "file", 0, (uint)Convert.ToInt32("755", 8) | (1u << 23), 0, 0, null).Permissions);
        Assert.Equal(Convert.ToInt32("3750", 8), new ResticNode("/f", "file", 0, (uint)Convert.ToInt32("750", 8) | (1u << 22) | (1u << 20), 0, 0, null).Permissions);
    }

    [Fact]
    public async Task Compare_ATreeAsListed_HasNoDifferences_AndEachChangeIsNamed()
    {
        Directory.CreateDirectory(Path.Combine(_root, "etc"));
        await File.WriteAllTextAsync(Path.Combine(_root, "etc", "hosts"), "127.0.0.1 localhost\n");
        File.SetUnixFileMode(Path.Combine(_root, "etc", "hosts"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        File.CreateSymbolicLink(Path.Combine(_root, "link"), "etc/hosts");
        var dirMode = (int)File.GetUnixFileMode(Path.Combine(_root, "etc"));
        var restored = await RestoreTest.ReadTreeAsync(_root, CancellationToken.None);
        Assert.Equal(3, restored.Count);
        var (uid, gid) = (restored[0].Uid, restored[0].Gid);
        List<ResticNode> listing =
        [
            new("/etc", "dir", 0, (uint)dirMode | (1u << 31), uid, gid, null),
            new("/etc/hosts", "file", 20, (uint)Convert.ToInt32("640", 8), uid, gid, null),
            new("/link", "symlink", 0, (uint)Convert.ToInt32("777", 8) | (1u << 27), uid, gid, "etc/hosts"),
        ];

        Assert.Empty(RestoreTest.Compare(listing, restored));

        List<ResticNode> changed =
        [
            listing[0] with { Uid = uid + 1000 },
            listing[1] with { Size = 21, Mode = (uint)Convert.ToInt32("644", 8) },
            listing[2] with { LinkTarget = "etc/passwd" },
            new("/missing", "file", 1, 0, 0, 0, null),
        ];
        var differences = RestoreTest.Compare(changed, restored);
        Assert.Equal(
            [
                $"/etc: owner {uid + 1000}:{gid} in the backup, {uid}:{gid} restored",
                "/etc/hosts: 21 bytes in the backup, 20 restored",
                "/etc/hosts: mode 644 in the backup, 640 restored",
                "/link: links to 'etc/passwd' in the backup, to 'etc/hosts' restored",
                "/missing: not restored",
            ],
            differences);

        var extra = RestoreTest.Compare(listing.Take(2).ToList(), restored);
        Assert.Equal(["/link: restored, but not in the backup"], extra);
        Assert.StartsWith("5 differences: /etc: owner", RestoreTest.Describe(differences), StringComparison.Ordinal);
    }
}
