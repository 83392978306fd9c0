using System.Security.Cryptography;
using System.Text;
using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Files;

/// <summary>The files API on real containers: bytes in and out, listings, deletes, running and stopped, dir and overlay pools.</summary>
public sealed class FileApiTests(BerthEnvironment env) : IClassFixture<BerthEnvironment>
{
    [Fact]
    public async Task WriteReadListDelete_OnARunningContainer_AsTheContainerSeesIt()
    {
        var name = env.Name("frw");
        await env.LaunchAsync(name);

        var written = await env.Client.WriteFileAsync(name, "/srv/app/run.sh", Bytes("#!/bin/sh\necho hi\n"), new FileWriteOptions { Mode = (UnixFileMode)0b111_101_000, Uid = 1000, Gid = 1001, CreateDirectories = true });

        Assert.Equal(("file", "0750", 1000L, 1001L, 18L), (written.Type, written.Mode, written.Uid, written.Gid, written.Size));
        Assert.Equal("1000 1001 750 hi", (await env.ExecAsync(name, "sh", "-c", "stat -c '%u %g %a' /srv/app/run.sh | tr '\\n' ' '; /srv/app/run.sh")).Stdout.Trim());
        await using (var read = await env.Client.OpenFileAsync(name, "/srv/app/run.sh"))
        {
            Assert.Equal("#!/bin/sh\necho hi\n", await new StreamReader(read.Content).ReadToEndAsync());
            Assert.Equal(("0750", 1000L, 1001L), (read.Entry.Mode, read.Entry.Uid, read.Entry.Gid));
        }

        // A replaced file keeps its mode and owners unless the write names others.
        await env.Client.WriteFileAsync(name, "/srv/app/run.sh", Bytes("#!/bin/sh\necho again\n"));
        Assert.Equal("1000 1001 750 again", (await env.ExecAsync(name, "sh", "-c", "stat -c '%u %g %a' /srv/app/run.sh | tr '\\n' ' '; /srv/app/run.sh")).Stdout.Trim());

        await env.ExecAsync(name, "ln", "-s", "run.sh", "/srv/app/link");
        var listing = await env.Client.ListFilesAsync(name, "/srv/app");
        Assert.Equal(["link", "run.sh"], listing.Select(e => e.Name));
        Assert.Equal(("symlink", "run.sh"), (listing[0].Type, listing[0].Link));
        var link = await env.Client.StatFileAsync(name, "/srv/app/link");
        Assert.Equal(("symlink", "run.sh"), (link.Type, link.Link));

        await env.Client.DeleteFileAsync(name, "/srv/app/link");
        Assert.Equal("run.sh", (await env.ExecAsync(name, "ls", "/srv/app")).Stdout.Trim());
        var notEmpty = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.DeleteFileAsync(name, "/srv"));
        Assert.Equal((409, "Directory not empty"), (notEmpty.Status, notEmpty.Title));
        await env.Client.DeleteFileAsync(name, "/srv", recursive: true);
        Assert.NotEqual(0, (await env.ExecAsync(name, "test", "-e", "/srv")).ExitCode);
    }

    [Fact]
    public async Task WriteAndRead_OnAStoppedContainer_Work()
    {
        var name = env.Name("fstop");
        await env.LaunchAsync(name, start: false);

        await env.Client.WriteFileAsync(name, "/etc/motd", Bytes("stopped\n"));
        await env.ChangeStateAsync(name, "start");

        Assert.Equal("stopped", (await env.ExecAsync(name, "cat", "/etc/motd")).Stdout.Trim());
    }

    [Fact]
    public async Task OverlayPool_UnprivilegedContainer_OwnersAreShiftedOnDiskAndShownUnshifted()
    {
        var pool = env.Name("fovl");
        var name = env.Name("fovlc");
        await env.SucceedAsync(env.Client.CreateStoragePoolAsync(new StoragePoolCreateRequest { Name = pool, Driver = "overlay" }));
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = name, Image = "busybox", Storage = pool }));
        var hostRoot = (await env.Client.GetContainerAsync(name)).HostRootUid!.Value;

        await env.Client.WriteFileAsync(name, "/home/app/data.txt", Bytes("overlay\n"), new FileWriteOptions { Uid = 1000, Gid = 1000, CreateDirectories = true });

        Assert.Equal("1000 1000 644", (await env.ExecAsync(name, "stat", "-c", "%u %g %a", "/home/app/data.txt")).Stdout.Trim());
        var upper = Path.Combine((await env.Client.GetStoragePoolAsync(pool)).Path!, "containers", name, "upper", "home/app/data.txt");
        var onDisk = TreeWalker.Walk(Path.GetDirectoryName(upper)!).Single(e => e.Path == "data.txt");
        Assert.Equal((hostRoot + 1000, hostRoot + 1000), ((long)onDisk.Uid, (long)onDisk.Gid));
        var entry = await env.Client.StatFileAsync(name, "/home/app/data.txt");
        Assert.Equal((1000L, 1000L), (entry.Uid, entry.Gid));
        Assert.Equal(0L, (await env.Client.StatFileAsync(name, "/etc/passwd")).Uid);

        // Stopped: the overlay is mounted again for the call.
        await env.ChangeStateAsync(name, "stop", force: true);
        await using var read = await env.Client.OpenFileAsync(name, "/home/app/data.txt");
        Assert.Equal("overlay\n", await new StreamReader(read.Content).ReadToEndAsync());
    }

    [Fact]
    public async Task BtrfsPool_WriteReadDelete_Work()
    {
        var pool = env.Name("fbtr");
        var name = env.Name("fbtrc");
        await env.SucceedAsync(env.Client.CreateStoragePoolAsync(new StoragePoolCreateRequest { Name = pool, Driver = "btrfs", Size = "1GiB" }));
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = name, Image = "busybox", Storage = pool }));

        await env.Client.WriteFileAsync(name, "/srv/b.txt", Bytes("btrfs\n"), new FileWriteOptions { Uid = 1000, Gid = 1000, CreateDirectories = true });

        Assert.Equal("1000 1000 btrfs", (await env.ExecAsync(name, "sh", "-c", "stat -c '%u %g' /srv/b.txt | tr '\\n' ' '; cat /srv/b.txt")).Stdout.Trim());
        await env.Client.DeleteFileAsync(name, "/srv", recursive: true);
        Assert.NotEqual(0, (await env.ExecAsync(name, "test", "-e", "/srv")).ExitCode);
    }

    [Fact]
    public async Task LargeFile_200MB_IsStreamedInAndOutUnchanged()
    {
        var name = env.Name("fbig");
        await env.LaunchAsync(name);
        var local = Path.Combine(env.StateDir, "big.bin");
        var expected = await GenerateAsync(local, 200L << 20);
        try
        {
            await using (var source = File.OpenRead(local))
            {
                var written = await env.Client.WriteFileAsync(name, "/var/big.bin", source);
                Assert.Equal(200L << 20, written.Size);
            }

            Assert.Equal(expected, (await env.ExecAsync(name, "sha256sum", "/var/big.bin")).Stdout.Split(' ')[0]);
            await using var read = await env.Client.OpenFileAsync(name, "/var/big.bin");
            Assert.Equal(expected, Convert.ToHexStringLower(await SHA256.HashDataAsync(read.Content)));
        }
        finally
        {
            File.Delete(local);
        }
    }

    [Theory]
    [InlineData("", 400, "Missing path")]
    [InlineData("etc/hosts", 400, "Invalid path")]
    [InlineData("/etc/\0hosts", 400, "Invalid path")]
    [InlineData("/etc/../etc/hosts", 400, "Invalid path")]
    [InlineData("/etc", 409, "Path is a directory")]
    [InlineData("/", 400, "Path is a directory")]
    [InlineData("/no/such/dir/file", 404, "Directory not found")]
    public async Task Write_BadPath_IsRefusedWithAProblem_AndNothingChanges(string path, int status, string title)
    {
        var name = env.Name("fbad");
        if ((await env.Client.ListContainersAsync()).All(c => c.Name != name))
        {
            await env.LaunchAsync(name);
        }

        var before = Listing(name);
        var error = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.WriteFileAsync(name, path, Bytes("x")));

        Assert.Equal((status, title), (error.Status, error.Title));
        Assert.False(string.IsNullOrWhiteSpace(error.Detail));
        Assert.Equal(before, Listing(name));
    }

    [Theory]
    [InlineData("0999", null, "Invalid mode")]
    [InlineData("0644", 70000L, "Invalid owner")]
    public async Task Write_BadModeOrOwner_IsRefused_AndNothingChanges(string mode, long? uid, string title)
    {
        var name = env.Name("fbadm");
        if ((await env.Client.ListContainersAsync()).All(c => c.Name != name))
        {
            await env.LaunchAsync(name);
        }

        var before = Listing(name);
        using var http = new HttpClient(new SocketsHttpHandler { ConnectCallback = UnixSocket(env.StateDir) }) { BaseAddress = new Uri("http://localhost/") };
        var query = $"api/v1/containers/{name}/files?path=/tmp/x&mode={mode}" + (uid is null ? "" : $"&uid={uid}");
        using var response = await http.PutAsync(query, new ByteArrayContent(Encoding.UTF8.GetBytes("x")));

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(title, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, Listing(name));
    }

    [Fact]
    public async Task UnknownContainer_Is404()
    {
        var error = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.OpenFileAsync(env.Name("nosuch"), "/etc/hosts"));

        Assert.Equal((404, "Container not found"), (error.Status, error.Title));
    }

    private List<TreeEntry> Listing(string name) => TreeWalker.Walk(Path.Combine(env.LxcPath, name, "rootfs")).Where(e => !e.Path.StartsWith("proc", StringComparison.Ordinal) && !e.Path.StartsWith("dev", StringComparison.Ordinal) && !e.Path.StartsWith("var", StringComparison.Ordinal)).ToList();

    private static MemoryStream Bytes(string text) => new(Encoding.UTF8.GetBytes(text));

    private static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> UnixSocket(string stateDir) => async (_, ct) =>
    {
        var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        await socket.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(Path.Combine(stateDir, "unix.socket")), ct);
        return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
    };

    /// <summary>A file of pseudo-random bytes (cheap to make, not compressible), and its sha256.</summary>
    private static async Task<string> GenerateAsync(string path, long size)
    {
        var random = new Random(14);
        var buffer = new byte[1 << 20];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var file = File.Create(path);
        for (long written = 0; written < size; written += buffer.Length)
        {
            random.NextBytes(buffer);
            hash.AppendData(buffer);
            await file.WriteAsync(buffer);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
