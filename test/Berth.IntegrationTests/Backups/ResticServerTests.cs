using System.Security.Cryptography;
using System.Text.Json;
using Berth.IntegrationTests.Infrastructure;
using Berth.IntegrationTests.Infrastructure.ResticServers;

namespace Berth.IntegrationTests.Backups;

/// <summary>Plain restic 0.14 against each test server: what later backup tests rely on the fixtures for.</summary>
public sealed class ResticServerTests
{
    private const string Password = "correct horse battery staple";

    public static TheoryData<string> Servers => ["rest", "rest-auth", "sftp", "s3"];

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task Restic_BackupOfATree_RestoresItExactly(string kind)
    {
        await using var server = Create(kind);
        await server.StartAsync();
        var work = Path.Combine(server.Dir, "work");
        var source = Path.Combine(work, "src");
        await MakeTreeAsync(source);

        await server.ResticCheckedAsync(Password, "init");
        await server.ResticCheckedAsync(Password, "backup", "--host", "berth-test", source);

        using var snapshots = JsonDocument.Parse(await server.ResticCheckedAsync(Password, "snapshots", "--json"));
        var snapshot = Assert.Single(snapshots.RootElement.EnumerateArray());
        Assert.Equal(source, Assert.Single(snapshot.GetProperty("paths").EnumerateArray()).GetString());
        Assert.Equal("berth-test", snapshot.GetProperty("hostname").GetString());
        var id = snapshot.GetProperty("id").GetString()!;
        Assert.Matches("^[0-9a-f]{64}$", id);

        var target = Path.Combine(work, "restored");
        await server.ResticCheckedAsync(Password, "restore", id, "--target", target);
        var expected = TreeWalker.Walk(source);
        Assert.Contains(expected, e => e is { Path: "a", Type: 'f', Mode: 0b110_100_000, Uid: 1234, Gid: 1234 });
        Assert.Contains(expected, e => e is { Path: "link", Type: 'l', LinkTarget: "a" });
        // restic keeps an absolute path whole: the tree comes back under the target at its full path.
        Assert.Equal(expected, TreeWalker.Walk(Path.Combine(target, source.TrimStart('/'))));

        await server.ResticCheckedAsync(Password, "check", "--read-data");

        var (code, _, stderr) = await server.ResticAsync("not the password", "snapshots", "--json");
        Assert.NotEqual(0, code);
        Assert.Contains("wrong password", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestServer_WrongCredentials_AreRefused()
    {
        await using var server = new RestServer("berth", "s3cret");
        await server.StartAsync();
        await server.ResticCheckedAsync(Password, "init");

        var (code, _, stderr) = await Host.RunAsync("env", "RESTIC_PASSWORD=" + Password, "RESTIC_CACHE_DIR=" + Path.Combine(server.Dir, "other-cache"),
            "restic", "-r", server.RepositoryAs("berth", "guess"), "snapshots");
        Assert.NotEqual(0, code);
        Assert.Contains("401", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SftpServer_AnotherKey_IsRefused()
    {
        await using var server = new SftpServer();
        await server.StartAsync();
        await server.ResticCheckedAsync(Password, "init");
        var other = Path.Combine(server.Dir, "other_key");
        await Host.RunCheckedAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other);

        var (code, _, _) = await Host.RunAsync("env", "RESTIC_PASSWORD=" + Password, "RESTIC_CACHE_DIR=" + Path.Combine(server.Dir, "other-cache"),
            "restic", "-r", server.Repository, "-o", "sftp.command=" + server.SshCommand.Replace(server.KeyFile, other, StringComparison.Ordinal), "snapshots");
        Assert.NotEqual(0, code);
        Assert.Contains("Permission denied", await SshAsync(server, other), StringComparison.Ordinal);
    }

    private static ResticServer Create(string kind) => kind switch
    {
        "rest" => new RestServer(),
        "rest-auth" => new RestServer("berth", "s3cret:/@"),
        "sftp" => new SftpServer(),
        "s3" => new S3Server(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    // A small tree with what a container's rootfs has: an owned file with a narrow mode, links, a larger file.
    private static async Task MakeTreeAsync(string root)
    {
        Directory.CreateDirectory(Path.Combine(root, "sub"));
        var file = Path.Combine(root, "a");
        await File.WriteAllTextAsync(file, "hello\n");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        await Host.RunCheckedAsync("chown", "-h", "1234:1234", file);
        File.CreateSymbolicLink(Path.Combine(root, "link"), "a");
        File.CreateSymbolicLink(Path.Combine(root, "sub", "dangling"), "/nowhere/at/all");
        await File.WriteAllBytesAsync(Path.Combine(root, "sub", "random"), RandomNumberGenerator.GetBytes(300_000));
    }

    private static async Task<string> SshAsync(SftpServer server, string key)
    {
        var (_, stdout, stderr) = await Host.RunAsync("ssh", "-F", "/dev/null", "-p", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-i", key,
            "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "root@127.0.0.1", "true");
        return stdout + stderr;
    }
}
