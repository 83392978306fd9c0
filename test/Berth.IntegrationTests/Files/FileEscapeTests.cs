using System.Formats.Tar;
using System.Text;
using Berth.Client;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Files;

/// <summary>
/// A container's root plants links out of its tree and swaps directories for links while Berth reads and writes
/// its files; archives name paths outside the directory they go into. Host files (canaries this test made) never
/// change and are never read: paths resolve inside the container's root, as the container itself resolves them.
/// </summary>
public sealed class FileEscapeTests(BerthEnvironment env) : IClassFixture<BerthEnvironment>, IDisposable
{
    private const string CanaryContent = "host canary, not the container's\n";

    private readonly string _hostDir = Directory.CreateTempSubdirectory("berth-canary-").FullName;

    public void Dispose() => Directory.Delete(_hostDir, recursive: true);

    [Fact]
    public async Task Write_ThroughALinkToSlash_LandsInsideTheContainer()
    {
        var name = env.Name("fesc");
        await env.LaunchAsync(name);
        await PlantAsync(name, $"ln -s / /root/escape && ln -s {_hostDir} /root/hostdir");
        var canary = Canary("shadow-test");

        await env.Client.WriteFileAsync(name, "/root/escape/etc/shadow-test", Bytes("inside\n"));
        var throughHostPath = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.WriteFileAsync(name, "/root/hostdir/shadow-test", Bytes("inside\n")));

        Assert.False(File.Exists("/etc/shadow-test"));
        Assert.Equal("inside", (await env.ExecAsync(name, "cat", "/etc/shadow-test")).Stdout.Trim());
        Assert.Equal(404, throughHostPath.Status);
        AssertUntouched(canary);

        // Read and delete through the same links stay inside too.
        await using (var read = await env.Client.OpenFileAsync(name, "/root/escape/etc/shadow-test"))
        {
            Assert.Equal("inside\n", await new StreamReader(read.Content).ReadToEndAsync());
        }

        await Assert.ThrowsAsync<BerthApiException>(() => env.Client.OpenFileAsync(name, "/root/hostdir/shadow-test"));
        await Assert.ThrowsAsync<BerthApiException>(() => env.Client.DeleteFileAsync(name, "/root/hostdir/shadow-test"));
        AssertUntouched(canary);
    }

    [Fact]
    public async Task Write_OverALinkToAHostFile_ReplacesTheLinkNotTheFile()
    {
        var name = env.Name("fover");
        await env.LaunchAsync(name);
        var canary = Canary("target");
        await PlantAsync(name, $"ln -s {canary} /root/target");

        await env.Client.WriteFileAsync(name, "/root/target", Bytes("replaced\n"));
        await env.Client.DeleteFileAsync(name, "/root/target");

        AssertUntouched(canary);
        Assert.NotEqual(0, (await env.ExecAsync(name, "test", "-e", "/root/target")).ExitCode);
    }

    [Fact]
    public async Task WhileTheContainerSwapsADirectoryForLinks_PushPullDelete_NeverTouchTheHost()
    {
        var name = env.Name("frace");
        await env.LaunchAsync(name);
        var canary = Canary("canary");
        await PlantAsync(name, $"mkdir -p /root/d && echo container > /root/d/canary && ln -s / /root/slash");

        // d is a real directory, a link to the test's host directory, a link to /, in a tight loop.
        var swapper = env.ExecAsync(
            name,
            "sh",
            "-c",
            $"cd /root; while [ ! -e /tmp/stop ]; do mv d d.tmp; ln -s {_hostDir} d; rm d; ln -s / d; rm d; mv d.tmp d; done");
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        try
        {
            for (var i = 0; i < 300; i++)
            {
                var path = (i % 2 == 0 ? "/root/d/canary" : $"/root/d{_hostDir}/canary");
                var outcome = (i % 3) switch
                {
                    0 => await TryAsync(() => env.Client.WriteFileAsync(name, path, Bytes($"written {i}\n"))),
                    1 => await TryAsync(async () =>
                    {
                        await using var read = await env.Client.OpenFileAsync(name, path);
                        var text = await new StreamReader(read.Content).ReadToEndAsync();
                        Assert.NotEqual(CanaryContent, text);
                    }),
                    _ => await TryAsync(() => env.Client.DeleteFileAsync(name, path)),
                };
                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
                AssertUntouched(canary);
            }
        }
        finally
        {
            await env.ExecAsync(name, "touch", "/tmp/stop");
            await swapper;
        }

        AssertUntouched(canary);
        Assert.Equal([canary], Directory.GetFileSystemEntries(_hostDir));
        Assert.True(outcomes.GetValueOrDefault("ok") > 0, string.Join(", ", outcomes));
    }

    [Theory]
    [InlineData("dotdot")]
    [InlineData("absolute")]
    [InlineData("hardlink-out")]
    [InlineData("link-then-through")]
    public async Task Extract_AnArchiveThatLeavesItsDirectory_IsRefused(string attack)
    {
        var name = env.Name("ftar" + attack.Length);
        await env.LaunchAsync(name);
        var canary = Canary("passwd");
        await PlantAsync(name, "mkdir -p /srv/in && echo secret > /root/secret");
        var archive = new MemoryStream();
        await using (var writer = new TarWriter(archive, TarEntryFormat.Pax, leaveOpen: true))
        {
            switch (attack)
            {
                case "dotdot":
                    await writer.WriteEntryAsync(FileEntry("../../root/dotdot", "x"));
                    break;
                case "absolute":
                    await writer.WriteEntryAsync(FileEntry($"{_hostDir}/passwd", "x"));
                    break;
                case "hardlink-out":
                    await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.HardLink, "secret") { LinkName = "../../root/secret" });
                    break;
                default:
                    await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, "up") { LinkName = _hostDir });
                    await writer.WriteEntryAsync(FileEntry("up/passwd", "x"));
                    break;
            }
        }

        archive.Position = 0;
        var error = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.ExtractTreeAsync(name, "/srv/in", archive));

        Assert.True(error.Status is 400 or 409, $"{error.Status} {error.Title}: {error.Detail}");
        AssertUntouched(canary);
        Assert.Equal("secret", (await env.ExecAsync(name, "cat", "/root/secret")).Stdout.Trim());
        Assert.Equal("1", (await env.ExecAsync(name, "sh", "-c", "stat -c %h /root/secret")).Stdout.Trim());
        Assert.NotEqual(0, (await env.ExecAsync(name, "test", "-e", "/root/dotdot")).ExitCode);
        Assert.NotEqual(0, (await env.ExecAsync(name, "test", "-e", $"{_hostDir}/passwd")).ExitCode);
    }

    private static PaxTarEntry FileEntry(string name, string content) => new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) };

    private static async Task<string> TryAsync(Func<Task> call)
    {
        try
        {
            await call();
            return "ok";
        }
        catch (BerthApiException e)
        {
            Assert.True(e.Status is 400 or 404 or 409, $"{e.Status} {e.Title}: {e.Detail}");
            return e.Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    private string Canary(string name)
    {
        var path = Path.Combine(_hostDir, name);
        File.WriteAllText(path, CanaryContent);
        return path;
    }

    private static void AssertUntouched(string canary) => Assert.Equal(CanaryContent, File.ReadAllText(canary));

    private async Task PlantAsync(string name, string script)
    {
        var (code, _, stderr) = await env.ExecAsync(name, "sh", "-c", script);
        Assert.True(code == 0, stderr);
    }

    private static MemoryStream Bytes(string text) => new(Encoding.UTF8.GetBytes(text));
}
