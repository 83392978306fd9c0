using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Files;

/// <summary>A tree with a link, a hard link, modes and a uid 1000 owner pushed into an unprivileged Debian container and pulled back whole.</summary>
public sealed class FileDebianTests(BerthEnvironment env) : IClassFixture<BerthEnvironment>, IDisposable
{
    private readonly string _local = Directory.CreateTempSubdirectory("berth-files-debian-").FullName;

    public void Dispose() => Directory.Delete(_local, recursive: true);

    [Fact]
    public async Task PushTreeAndPullItBack_OwnersModesLinksAndHardLinks_SurviveAsTheContainerSeesThem()
    {
        var name = env.Name("fdeb");
        await env.LaunchAsync(name, "debian/12");
        Assert.NotEqual(0, (await env.Client.GetContainerAsync(name)).HostRootUid);

        var tree = Path.Combine(_local, "app");
        Directory.CreateDirectory(Path.Combine(tree, "bin"));
        Directory.CreateDirectory(Path.Combine(tree, "data"));
        await File.WriteAllTextAsync(Path.Combine(tree, "bin", "run"), "#!/bin/sh\necho run\n");
        await File.WriteAllTextAsync(Path.Combine(tree, "data", "config"), "key=value\n");
        File.SetUnixFileMode(Path.Combine(tree, "bin", "run"), (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(Path.Combine(tree, "data", "config"), (UnixFileMode)0b110_100_000);
        File.SetUnixFileMode(Path.Combine(tree, "data"), (UnixFileMode)0b111_101_000);
        File.CreateSymbolicLink(Path.Combine(tree, "run"), "bin/run");
        Assert.Equal(0, (await Host.RunAsync("ln", Path.Combine(tree, "data", "config"), Path.Combine(tree, "data", "config.hard"))).ExitCode);
        Assert.Equal(0, (await Host.RunAsync("chown", "-R", "-h", "1000:1000", Path.Combine(tree, "data"))).ExitCode);

        var push = await CliRunner.RunAsync(env.StateDir, "file", "push", "-r", tree, $"{name}/srv/");
        Assert.True(push.ExitCode == 0, push.ToString());

        var inside = await env.ExecAsync(name, "stat", "-c", "%n %u %g %a %h", "/srv/app/data", "/srv/app/data/config", "/srv/app/data/config.hard", "/srv/app/bin/run");
        Assert.Equal(
            ["/srv/app/data 1000 1000 750 2", "/srv/app/data/config 1000 1000 640 2", "/srv/app/data/config.hard 1000 1000 640 2", "/srv/app/bin/run 0 0 755 1"],
            inside.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("run", (await env.ExecAsync(name, "/srv/app/run")).Stdout.Trim());
        Assert.Equal("bin/run", (await env.ExecAsync(name, "readlink", "/srv/app/run")).Stdout.Trim());

        var back = Path.Combine(_local, "back");
        var pull = await CliRunner.RunAsync(env.StateDir, "file", "pull", "-r", $"{name}/srv/app", back);
        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.Equal(TreeWalker.Walk(tree), TreeWalker.Walk(back));
    }
}
