using System.Runtime.InteropServices;
using System.Text;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Backups;

/// <summary>Nothing lost: a Debian container backed up and restored as a new one matches entry for entry.</summary>
public sealed partial class BackupDebianTests(BerthEnvironment env) : IClassFixture<BerthEnvironment>
{
    [Fact]
    public async Task DebianBackup_RestoredAs_KeepsEveryEntryOwnerModeLinkDeviceAndXattr()
    {
        var target = env.Name("deb");
        await env.Client.AddBackupTargetAsync(new BackupTargetCreateRequest { Name = target, Url = Path.Combine(env.StateDir, "repo") });
        var name = env.Name("debbk");
        await env.LaunchAsync(name, "debian/12");
        await env.ExecAsync(name, "sh", "-c",
            "mkdir -p /srv/shapes && cd /srv/shapes && echo x > f && ln f hard && ln -s /etc/os-release absolute && cp /bin/true suid && chmod 4755 suid && chown 1234:4321 f && mkdir -m 1777 sticky");
        await env.ChangeStateAsync(name, "stop", timeout: 60);

        // What an unprivileged container cannot make itself: a device node and a trusted xattr, written on the host.
        var rootfs = Path.Combine(env.LxcPath, name, "rootfs");
        await Host.RunCheckedAsync("mknod", Path.Combine(rootfs, "srv/shapes/null"), "c", "1", "3");
        SetXattr(Path.Combine(rootfs, "srv/shapes/f"), "user.berth", "kept");
        SetXattr(Path.Combine(rootfs, "srv/shapes/suid"), "trusted.berth", "root-only");

        await env.SucceedAsync(env.Client.BackupAsync(name, new BackupRunRequest()));
        var backup = Assert.Single(await env.Client.ListBackupsAsync(name));
        // The restore test agrees: a scratch restore matches restic's listing (device node, hard link, setuid, sticky).
        await env.SucceedAsync(env.Client.VerifyBackupsAsync(name, new BackupVerifyRequest()));
        var restored = env.Name("debrs");
        await env.SucceedAsync(env.Client.RestoreBackupAsync(backup.Id, new BackupRestoreRequest { Container = name, As = restored }));

        var after = Path.Combine(env.LxcPath, restored, "rootfs");
        static TreeEntry Comparable(TreeEntry e) => IsIdentity(e.Path) ? new TreeEntry(e.Path, e.Type, 0, 0, 0, null, null, null, null) : e;
        var expected = TreeWalker.Walk(rootfs).Select(Comparable).ToList();
        var actual = TreeWalker.Walk(after).Select(Comparable).ToList();
        var missing = expected.Except(actual).ToList();
        var added = actual.Except(expected).ToList();
        Assert.True(missing.Count == 0 && added.Count == 0, $"{missing.Count} entries differ after restore, e.g.\n- {string.Join("\n- ", missing.Take(10))}\n+ {string.Join("\n+ ", added.Take(10))}");
        Assert.True(expected.Count > 5000, $"only {expected.Count} entries");

        Assert.Contains(actual, e => e.Path == "srv/shapes/null" && e.Type == 'c');
        Assert.Equal("1:3", (await Host.RunCheckedAsync("stat", "-c", "%t:%T", Path.Combine(after, "srv/shapes/null"))).Trim());
        Assert.Contains(actual, e => e.Path == "srv/shapes/suid" && (e.Mode & 0x800) != 0);
        Assert.Contains(actual, e => e.Path == "srv/shapes/absolute" && e.LinkTarget == "/etc/os-release");
        Assert.Contains(actual, e => e.Path == "srv/shapes/hard" && e.HardLinkGroup == "srv/shapes/f");
        Assert.Contains(actual, e => e.Path == "srv/shapes/f" && e.Uid == 1234 && e.Gid == 4321);
        Assert.Equal("kept", GetXattr(Path.Combine(after, "srv/shapes/f"), "user.berth"));
        Assert.Equal("root-only", GetXattr(Path.Combine(after, "srv/shapes/suid"), "trusted.berth"));

        await env.ChangeStateAsync(restored, "start");
        Assert.Contains("Debian", (await env.ExecAsync(restored, "cat", "/etc/os-release")).Stdout, StringComparison.Ordinal);
        Assert.NotEqual(
            (await File.ReadAllTextAsync(Path.Combine(rootfs, "etc/machine-id"))).Trim(),
            (await env.ExecAsync(restored, "cat", "/etc/machine-id")).Stdout.Trim());
        await env.ChangeStateAsync(restored, "stop", force: true);
    }

    /// <summary>What a new container gets of its own; these must exist as the same type, their content may differ.</summary>
    private static bool IsIdentity(string path) =>
        path is "etc/machine-id" or "etc/hostname" or "etc/hosts" or "etc/resolv.conf" or "var/lib/dbus/machine-id" || path.StartsWith("etc/ssh/ssh_host_", StringComparison.Ordinal);

    private static void SetXattr(string path, string name, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        if (lsetxattr(path, name, bytes, bytes.Length, 0) != 0)
        {
            throw new IOException($"lsetxattr {path} {name}: {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    private static string? GetXattr(string path, string name)
    {
        var buffer = new byte[256];
        var length = lgetxattr(path, name, buffer, buffer.Length);
        return length < 0 ? null : Encoding.UTF8.GetString(buffer, 0, (int)length);
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int lsetxattr(string path, string name, byte[] value, nint size, int flags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint lgetxattr(string path, string name, byte[] value, nint size);
}
