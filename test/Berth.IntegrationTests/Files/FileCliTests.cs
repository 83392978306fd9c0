using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Files;

/// <summary>`berth file push|pull|edit|delete|list` through the real program, as a user types them.</summary>
public sealed class FileCliTests(BerthEnvironment env) : IClassFixture<BerthEnvironment>, IDisposable
{
    private readonly string _local = Directory.CreateTempSubdirectory("berth-files-cli-").FullName;

    public void Dispose() => Directory.Delete(_local, recursive: true);

    [Fact]
    public async Task PushPullListDelete_FilesAndTrees_LikeCp()
    {
        var name = env.Name("fcli");
        await env.LaunchAsync(name);
        var a = Local("a.txt", "alpha\n");
        var b = Local("b.sh", "#!/bin/sh\necho bee\n");
        File.SetUnixFileMode(b, (UnixFileMode)0b111_101_101);

        // Several files into a directory keep their names; a new file takes the local mode.
        await Ok("file", "push", "-p", a, b, $"{name}/srv/");
        Assert.Equal("alpha", (await env.ExecAsync(name, "cat", "/srv/a.txt")).Stdout.Trim());
        Assert.Equal("bee", (await env.ExecAsync(name, "/srv/b.sh")).Stdout.Trim());

        // One file to a new name, with mode and owners.
        await Ok("file", "push", "--mode", "0600", "--uid", "1000", "--gid", "1000", a, $"{name}/srv/secret");
        Assert.Equal("1000 1000 600", (await env.ExecAsync(name, "stat", "-c", "%u %g %a", "/srv/secret")).Stdout.Trim());

        // stdin and stdout.
        var piped = await CliRunner.RunWithInputAsync(env.StateDir, "from stdin\n", "file", "push", "-", $"{name}/srv/stdin.txt");
        Assert.True(piped.ExitCode == 0, piped.ToString());
        var cat = await Ok("file", "pull", $"{name}/srv/stdin.txt", "-");
        Assert.Equal("from stdin\n", cat.Stdout);

        var list = await Ok("file", "list", $"{name}/srv");
        var lines = list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.Matches(@"^-rw------- +1000 +1000 +6 .* secret$", lines.Single(l => l.EndsWith("secret", StringComparison.Ordinal)));
        Assert.StartsWith("-rwxr-xr-x", lines.Single(l => l.EndsWith("b.sh", StringComparison.Ordinal)), StringComparison.Ordinal);

        var pulled = Path.Combine(_local, "pulled.sh");
        await Ok("file", "pull", $"{name}/srv/b.sh", pulled);
        Assert.Equal("#!/bin/sh\necho bee\n", await File.ReadAllTextAsync(pulled));
        Assert.Equal((UnixFileMode)0b111_101_101, File.GetUnixFileMode(pulled));

        // A tree with -r, into a new name, and back out.
        var tree = Path.Combine(_local, "app");
        Directory.CreateDirectory(Path.Combine(tree, "lib"));
        await File.WriteAllTextAsync(Path.Combine(tree, "lib", "x.py"), "print(1)\n");
        File.CreateSymbolicLink(Path.Combine(tree, "current"), "lib");
        await Ok("file", "push", "-r", tree, $"{name}/srv/app");
        Assert.Equal("print(1)", (await env.ExecAsync(name, "cat", "/srv/app/current/x.py")).Stdout.Trim());
        var back = Path.Combine(_local, "back");
        await Ok("file", "pull", "-r", $"{name}/srv/app", back);
        Assert.Equal(Comparable(tree), Comparable(back));

        await Ok("file", "delete", "-r", $"{name}/srv/app");
        Assert.NotEqual(0, (await env.ExecAsync(name, "test", "-e", "/srv/app")).ExitCode);
        await Ok("file", "rm", $"{name}/srv/secret");
        Assert.NotEqual(0, (await env.ExecAsync(name, "test", "-e", "/srv/secret")).ExitCode);
    }

    [Fact]
    public async Task Edit_WithAnEditorScript_WritesBackOnlyWhenChanged_KeepingModeAndOwner()
    {
        var name = env.Name("fedit");
        await env.LaunchAsync(name);
        await env.ExecAsync(name, "sh", "-c", "echo 'port=80' > /etc/app.conf && chown 1000:1000 /etc/app.conf && chmod 640 /etc/app.conf");
        var editor = Local("editor.sh", "#!/bin/sh\nsed -i 's/port=80/port=8080/' \"$1\"\n");
        File.SetUnixFileMode(editor, (UnixFileMode)0b111_000_000);

        var edited = await CliRunner.RunWithEnvironmentAsync(env.StateDir, null, new Dictionary<string, string> { ["EDITOR"] = editor, ["VISUAL"] = "" }, "file", "edit", $"{name}/etc/app.conf");

        Assert.True(edited.ExitCode == 0, edited.ToString());
        Assert.Equal("port=8080", (await env.ExecAsync(name, "cat", "/etc/app.conf")).Stdout.Trim());
        Assert.Equal("1000 1000 640", (await env.ExecAsync(name, "stat", "-c", "%u %g %a", "/etc/app.conf")).Stdout.Trim());

        var inode = (await env.ExecAsync(name, "stat", "-c", "%i", "/etc/app.conf")).Stdout.Trim();
        var untouched = await CliRunner.RunWithEnvironmentAsync(env.StateDir, null, new Dictionary<string, string> { ["EDITOR"] = "true", ["VISUAL"] = "" }, "file", "edit", $"{name}/etc/app.conf");
        Assert.True(untouched.ExitCode == 0, untouched.ToString());
        Assert.Contains("unchanged", untouched.Stderr, StringComparison.Ordinal);
        Assert.Equal(inode, (await env.ExecAsync(name, "stat", "-c", "%i", "/etc/app.conf")).Stdout.Trim());

        var failed = await CliRunner.RunWithEnvironmentAsync(env.StateDir, null, new Dictionary<string, string> { ["EDITOR"] = "false", ["VISUAL"] = "" }, "file", "edit", $"{name}/etc/app.conf");
        Assert.Equal(1, failed.ExitCode);
        Assert.Equal(inode, (await env.ExecAsync(name, "stat", "-c", "%i", "/etc/app.conf")).Stdout.Trim());
    }

    [Theory]
    [InlineData("push", "LOCALDIR", "CONTAINER/etc/", "pass -r")]
    [InlineData("push", "LOCAL", "CONTAINER/no/such/dir/x", "berth file push -p")]
    [InlineData("pull", "CONTAINER/no/such/file", "OUT", "does not exist")]
    [InlineData("pull", "CONTAINER/etc", "OUT", "pass -r")]
    [InlineData("delete", "CONTAINER/", null, "root directory")]
    [InlineData("delete", "CONTAINER/etc", null, "-r sets recursive=true")]
    [InlineData("list", "nosuchcontainer/etc", null, "no container")]
    [InlineData("push", "LOCAL", "no-slash", "CONTAINER/PATH")]
    public async Task BadInput_OneLineError_NonZeroExit_NothingChanged(string verb, string first, string? second, string message)
    {
        var name = env.Name("fclibad");
        if ((await env.Client.ListContainersAsync()).All(c => c.Name != name))
        {
            await env.LaunchAsync(name);
        }

        var local = Local("bad.txt", "bad\n");
        string Fill(string s) => s.Replace("CONTAINER", name, StringComparison.Ordinal).Replace("LOCALDIR", _local, StringComparison.Ordinal).Replace("LOCAL", local, StringComparison.Ordinal).Replace("OUT", Path.Combine(_local, "out"), StringComparison.Ordinal);
        var before = (await env.ExecAsync(name, "sh", "-c", "ls -laR /etc /srv 2>/dev/null | md5sum")).Stdout;

        var result = await CliRunner.RunAsync(env.StateDir, ["file", verb, Fill(first), .. second is null ? Array.Empty<string>() : [Fill(second)]]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(message, result.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, (await env.ExecAsync(name, "sh", "-c", "ls -laR /etc /srv 2>/dev/null | md5sum")).Stdout);
        Assert.False(File.Exists(Path.Combine(_local, "out")));
    }

    private static List<TreeEntry> Comparable(string root) => TreeWalker.Walk(root);

    private string Local(string name, string content)
    {
        var path = Path.Combine(_local, name);
        File.WriteAllText(path, content);
        return path;
    }

    private async Task<CliResult> Ok(params string[] args)
    {
        var result = await CliRunner.RunAsync(env.StateDir, args);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }
}
