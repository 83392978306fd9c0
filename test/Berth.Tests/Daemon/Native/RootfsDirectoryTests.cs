using System.Text;
using Berth.Daemon.Native;

namespace Berth.Tests.Daemon.Native;

/// <summary>
/// The fd-relative accessor against trees with links planted where a container would plant them: whatever the link,
/// the file outside the tree keeps its content, with openat2 and with the per-component walk older kernels get.
/// </summary>
public sealed class RootfsDirectoryTests : IDisposable
{
    private const UnixFileMode Mode644 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode Mode755 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
    private const UnixFileMode Mode700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly TempDirectory _temp = new();

    public RootfsDirectoryTests()
    {
        Directory.CreateDirectory(Rootfs);
        Directory.CreateDirectory(Outside);
        File.WriteAllText(Victim, "host secret\n");
    }

    private string Rootfs => _temp.File("rootfs");

    private string Outside => _temp.File("outside");

    private string Victim => Path.Combine(Outside, "victim");

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Write_MissingDirectories_CreatesThemWithTheModesAndOwner(bool openat2)
    {
        using (var root = RootfsDirectory.Open(Rootfs, 12345, openat2))
        {
            root.Write("root/.ssh/authorized_keys", "key\n"u8, UnixFileMode.UserRead | UnixFileMode.UserWrite, Mode700);
        }

        var file = Path.Combine(Rootfs, "root/.ssh/authorized_keys");
        Assert.Equal("key\n", File.ReadAllText(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(Mode700, File.GetUnixFileMode(Path.Combine(Rootfs, "root/.ssh")));
        Assert.Equal(Mode700, File.GetUnixFileMode(Path.Combine(Rootfs, "root")));
        Assert.Equal("12345:12345", Owner(file));
        Assert.Equal("12345:12345", Owner(Path.Combine(Rootfs, "root/.ssh")));
        Assert.Single(Directory.GetFiles(Path.Combine(Rootfs, "root/.ssh")));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Write_FinalNameIsALinkOut_ReplacesTheLinkNotItsTarget(bool openat2)
    {
        Directory.CreateDirectory(Path.Combine(Rootfs, "etc"));
        File.CreateSymbolicLink(Path.Combine(Rootfs, "etc/hostname"), Victim);
        using (var root = RootfsDirectory.Open(Rootfs, null, openat2))
        {
            root.Write("etc/hostname", "c1\n"u8, Mode644, Mode755);
        }

        Assert.Equal("host secret\n", File.ReadAllText(Victim));
        Assert.Null(new FileInfo(Path.Combine(Rootfs, "etc/hostname")).LinkTarget);
        Assert.Equal("c1\n", File.ReadAllText(Path.Combine(Rootfs, "etc/hostname")));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Write_OldFixedTemporaryNameIsALinkOut_LeavesTheTargetAlone(bool openat2)
    {
        Directory.CreateDirectory(Path.Combine(Rootfs, "etc"));
        File.CreateSymbolicLink(Path.Combine(Rootfs, "etc/hostname.berth-new"), Victim);
        using (var root = RootfsDirectory.Open(Rootfs, null, openat2))
        {
            root.Write("etc/hostname", "c1\n"u8, Mode644, Mode755);
        }

        Assert.Equal("host secret\n", File.ReadAllText(Victim));
        Assert.Equal("c1\n", File.ReadAllText(Path.Combine(Rootfs, "etc/hostname")));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Write_DirectoryOnTheWayIsALinkOut_IsRefusedNamingIt(bool openat2)
    {
        Directory.CreateDirectory(Path.Combine(Rootfs, "root"));
        Directory.CreateSymbolicLink(Path.Combine(Rootfs, "root/.ssh"), Outside);
        using var root = RootfsDirectory.Open(Rootfs, null, openat2);

        var refused = Assert.Throws<UnsafeRootfsPathException>(() => root.Write("root/.ssh/authorized_keys", "key\n"u8, Mode644, Mode700));
        Assert.Contains("/root/.ssh is a symbolic link", refused.Message, StringComparison.Ordinal);
        Assert.Equal(["victim"], Directory.GetFileSystemEntries(Outside).Select(Path.GetFileName));
        Assert.Equal("host secret\n", File.ReadAllText(Victim));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Write_LinkToADirectoryInsideTheTree_IsRefusedToo(bool openat2)
    {
        Directory.CreateDirectory(Path.Combine(Rootfs, "real"));
        Directory.CreateSymbolicLink(Path.Combine(Rootfs, "etc"), "real");
        using var root = RootfsDirectory.Open(Rootfs, null, openat2);

        Assert.Throws<UnsafeRootfsPathException>(() => root.Write("etc/hostname", "c1\n"u8, Mode644, Mode755));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(Rootfs, "real")));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Read_LinkOrFifo_IsRefusedWithoutFollowingOrBlocking(bool openat2)
    {
        Directory.CreateDirectory(Path.Combine(Rootfs, "etc"));
        File.CreateSymbolicLink(Path.Combine(Rootfs, "etc/link"), Victim);
        Assert.Equal(0, RunMkfifo(Path.Combine(Rootfs, "etc/fifo")));
        using var root = RootfsDirectory.Open(Rootfs, null, openat2);

        Assert.Throws<UnsafeRootfsPathException>(() => root.Read("etc/link"));
        Assert.Contains("not a regular file", Assert.Throws<IOException>(() => root.Read("etc/fifo")).Message, StringComparison.Ordinal);
        Assert.Null(root.Read("etc/missing"));
        Assert.Null(root.Read("nothere/missing"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void DeleteListKind_NeverFollowALink(bool openat2)
    {
        Directory.CreateDirectory(Path.Combine(Rootfs, "etc/ssh"));
        File.WriteAllText(Path.Combine(Rootfs, "etc/ssh/ssh_host_ed25519_key"), "old");
        File.CreateSymbolicLink(Path.Combine(Rootfs, "etc/ssh/ssh_host_rsa_key"), Victim);
        Directory.CreateSymbolicLink(Path.Combine(Rootfs, "var"), Outside);
        using var root = RootfsDirectory.Open(Rootfs, null, openat2);

        Assert.Equal(["ssh_host_ed25519_key", "ssh_host_rsa_key"], root.List("etc/ssh")!.Order(StringComparer.Ordinal));
        Assert.Equal(RootfsEntryKind.Link, root.Kind("etc/ssh/ssh_host_rsa_key"));
        Assert.Equal(RootfsEntryKind.Directory, root.Kind("etc/ssh"));
        Assert.Equal(RootfsEntryKind.Missing, root.Kind("etc/nothing"));
        Assert.True(root.Delete("etc/ssh/ssh_host_rsa_key"));
        Assert.False(root.Delete("etc/ssh/ssh_host_rsa_key"));
        Assert.True(File.Exists(Victim));
        Assert.Throws<UnsafeRootfsPathException>(() => root.List("var"));
        Assert.Throws<UnsafeRootfsPathException>(() => root.Delete("var/victim"));
        Assert.Throws<UnsafeRootfsPathException>(() => root.Kind("var/victim"));
        Assert.True(File.Exists(Victim));
        Assert.Null(root.List("nothing"));
    }

    [Fact]
    public void Own_ALink_ChangesTheLinkNotItsTarget()
    {
        File.CreateSymbolicLink(Path.Combine(Rootfs, "link"), Victim);
        using var root = RootfsDirectory.Open(Rootfs, 12345);

        root.Own("link");

        Assert.Equal("0:0", Owner(Victim));
    }

    [Theory]
    [InlineData("../outside/victim")]
    [InlineData("/etc/hostname")]
    [InlineData("etc/./hostname")]
    public void Paths_OutsideTheTree_AreRejected(string path)
    {
        using var root = RootfsDirectory.Open(Rootfs);
        Assert.Throws<ArgumentException>(() => root.Write(path, "x"u8, Mode644, Mode755));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Write_WhileADirectoryIsSwappedForALink_NeverWritesOutside(bool openat2)
    {
        var ssh = Path.Combine(Rootfs, "root/.ssh");
        Directory.CreateDirectory(ssh);
        using var stop = new CancellationTokenSource();
        var swapper = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    Directory.Delete(ssh, recursive: true);
                    Directory.CreateSymbolicLink(ssh, Outside);
                    File.Delete(ssh);
                    Directory.CreateDirectory(ssh);
                }
                catch (IOException)
                {
                    // The writer's rename raced this step; carry on swapping.
                }
            }
        });

        using (var root = RootfsDirectory.Open(Rootfs, null, openat2))
        {
            for (var i = 0; i < 300; i++)
            {
                try
                {
                    root.Write("root/.ssh/authorized_keys", Encoding.UTF8.GetBytes($"key {i}\n"), Mode644, Mode700);
                }
                catch (IOException)
                {
                    // Refused (a link on the way) or the directory vanished: both fine, as long as nothing lands outside.
                }
            }
        }

        await stop.CancelAsync();
        await swapper;
        Assert.Equal(["victim"], Directory.GetFileSystemEntries(Outside).Select(Path.GetFileName));
        Assert.Equal("host secret\n", File.ReadAllText(Victim));
    }

    private static string Owner(string path)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%u:%g", path]) { RedirectStandardOutput = true })!;
        var text = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return text;
    }

    private static int RunMkfifo(string path)
    {
        using var process = System.Diagnostics.Process.Start("mkfifo", [path]);
        process.WaitForExit();
        return process.ExitCode;
    }
}
