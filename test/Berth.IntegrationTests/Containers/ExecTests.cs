using System.Text;
using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Containers;

/// <summary>Exec streams a real command's input, output, errors and exit code through the daemon.</summary>
public sealed class ExecTests(BerthEnvironment env) : IClassFixture<BerthEnvironment>, IAsyncLifetime
{
    private string Name => env.Name("exec");

    public async Task InitializeAsync()
    {
        if ((await env.Client.ListContainersAsync()).All(c => c.Name != Name))
        {
            await env.LaunchAsync(Name);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Exec_SeparatesStdoutAndStderr_AndReturnsExitCode()
    {
        var (code, stdout, stderr) = await env.ExecAsync(Name, "sh", "-c", "echo out; echo err >&2; exit 7");
        Assert.Equal(7, code);
        Assert.Equal("out\n", stdout);
        Assert.Equal("err\n", stderr);
    }

    [Fact]
    public async Task Exec_ArgumentsArePassedVerbatim_NotThroughAShell()
    {
        var (code, stdout, _) = await env.ExecAsync(Name, "echo", "$HOME", "a;b", "'q'", "x y");
        Assert.Equal(0, code);
        Assert.Equal("$HOME a;b 'q' x y\n", stdout);
    }

    [Fact]
    public async Task Exec_Stdin_ReachesTheCommand()
    {
        using var stdin = new MemoryStream(Encoding.UTF8.GetBytes("hello\nworld\n"));
        using var stdout = new MemoryStream();
        var code = await env.Client.ExecAsync(Name, new ExecRequest { Command = ["wc", "-l"] }, stdin, stdout, Stream.Null);
        Assert.Equal(0, code);
        Assert.Equal("2", Encoding.UTF8.GetString(stdout.ToArray()).Trim());
    }

    [Fact]
    public async Task Exec_EnvironmentAndWorkingDirectory_Apply()
    {
        using var stdout = new MemoryStream();
        var code = await env.Client.ExecAsync(
            Name,
            new ExecRequest { Command = ["sh", "-c", "echo $GREETING; pwd"], Environment = ["GREETING=hi there"], WorkingDirectory = "/etc" },
            Stream.Null,
            stdout,
            Stream.Null);
        Assert.Equal(0, code);
        Assert.Equal("hi there\n/etc\n", Encoding.UTF8.GetString(stdout.ToArray()));
    }

    [Fact]
    public async Task Exec_Tty_RunsOnATerminal()
    {
        using var stdout = new MemoryStream();
        var code = await env.Client.ExecAsync(Name, new ExecRequest { Command = ["sh", "-c", "tty; stty size"], Tty = true }, Stream.Null, stdout, Stream.Null, () => (100, 30));
        var text = Encoding.UTF8.GetString(stdout.ToArray());
        Assert.Equal(0, code);
        Assert.Contains("/dev/pts/", text, StringComparison.Ordinal);
        Assert.Contains("30 100", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_Tty_StartsAtTheRequestedSize_EveryTime()
    {
        // The command reads its size at once: a size sent after it started would be seen too late.
        for (var i = 0; i < 20; i++)
        {
            using var stdout = new MemoryStream();
            var (columns, rows) = (100 + i, 30 + i);
            var code = await env.Client.ExecAsync(Name, new ExecRequest { Command = ["stty", "size"], Tty = true }, Stream.Null, stdout, Stream.Null, () => (columns, rows));
            Assert.Equal(0, code);
            Assert.Equal($"{rows} {columns}", Encoding.UTF8.GetString(stdout.ToArray()).Trim());
        }
    }

    [Fact]
    public async Task Exec_StoppedContainer_IsRefused()
    {
        var name = env.Name("execstop");
        await env.LaunchAsync(name, start: false);
        var error = await Assert.ThrowsAsync<BerthApiException>(() => env.ExecAsync(name, "true"));
        Assert.Equal(409, error.Status);
        Assert.Contains("start it", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_FrozenContainer_IsRefusedSayingUnfreeze()
    {
        var name = env.Name("execfrz");
        await env.LaunchAsync(name);
        await env.ChangeStateAsync(name, "freeze");
        var error = await Assert.ThrowsAsync<BerthApiException>(() => env.ExecAsync(name, "true"));
        Assert.Equal(409, error.Status);
        Assert.Contains("unfreeze", error.Message, StringComparison.Ordinal);
        await env.ChangeStateAsync(name, "unfreeze");
    }

    [Fact]
    public async Task Exec_UnknownContainer_IsNotFound()
    {
        var error = await Assert.ThrowsAsync<BerthApiException>(() => env.ExecAsync(env.Name("nosuch"), "true"));
        Assert.Equal(404, error.Status);
    }
}
