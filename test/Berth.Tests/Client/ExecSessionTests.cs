using System.Net.WebSockets;
using System.Text;
using Berth.Client;
using Berth.Client.Exec;
using Berth.Contracts;

namespace Berth.Tests.Client;

public sealed class ExecSessionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RunAsync_OutputFramesThenExit_WritesEachStreamAndReturnsExitCode()
    {
        using var pair = await WebSocketPair.CreateAsync();
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();
        var session = new ExecSession(pair.Client, TimeSpan.FromMilliseconds(50));

        var run = session.RunAsync(new MemoryStream(), stdout, stderr, terminalSize: null, CancellationToken.None);
        await pair.SendFromServerAsync(ExecFrame.Encode(ExecChannel.Stdout, "hello "u8));
        await pair.SendFromServerAsync(ExecFrame.Encode(ExecChannel.Stderr, "oops"u8));
        await pair.SendFromServerAsync(ExecFrame.Encode(ExecChannel.Stdout, "world"u8));
        await pair.SendFromServerAsync(ExecFrame.Encode(ExecChannel.Exit, "42"u8));
        int exitCode = await run.WaitAsync(Timeout);

        Assert.Equal(42, exitCode);
        Assert.Equal("hello world", Encoding.ASCII.GetString(stdout.ToArray()));
        Assert.Equal("oops", Encoding.ASCII.GetString(stderr.ToArray()));
    }

    [Fact]
    public async Task RunAsync_StdinThenEof_SendsStdinFramesThenStdinClosed()
    {
        using var pair = await WebSocketPair.CreateAsync();
        using var cancel = new CancellationTokenSource(Timeout);
        var session = new ExecSession(pair.Client, TimeSpan.FromMilliseconds(50));

        var run = session.RunAsync(new MemoryStream("echo hi\n"u8.ToArray()), Stream.Null, Stream.Null, terminalSize: null, CancellationToken.None);
        byte[] first = await pair.ReceiveOnServerAsync(cancel.Token);
        byte[] second = await pair.ReceiveOnServerAsync(cancel.Token);
        await pair.SendFromServerAsync(ExecFrame.Encode(ExecChannel.Exit, "0"u8));

        Assert.Equal(0, await run.WaitAsync(Timeout));
        Assert.Equal(ExecFrame.Encode(ExecChannel.Stdin, "echo hi\n"u8), first);
        Assert.Equal(ExecFrame.Encode(ExecChannel.StdinClosed, []), second);
    }

    [Fact]
    public async Task RunAsync_TerminalSize_SendsResizeFrame()
    {
        using var pair = await WebSocketPair.CreateAsync();
        using var cancel = new CancellationTokenSource(Timeout);
        using var stdin = new BlockingStream();
        var session = new ExecSession(pair.Client, TimeSpan.FromMilliseconds(50));

        var run = session.RunAsync(stdin, Stream.Null, Stream.Null, () => (120, 40), CancellationToken.None);
        byte[] message = await pair.ReceiveOnServerAsync(cancel.Token);
        await pair.SendFromServerAsync(ExecFrame.Encode(ExecChannel.Exit, "0"u8));
        await run.WaitAsync(Timeout);

        Assert.Equal(ExecFrame.EncodeResize(120, 40), message);
    }

    [Fact]
    public async Task RunAsync_CloseWithoutExit_ThrowsConnectionExceptionWithReason()
    {
        using var pair = await WebSocketPair.CreateAsync();
        using var stdin = new BlockingStream();
        var session = new ExecSession(pair.Client, TimeSpan.FromMilliseconds(50));

        var run = session.RunAsync(stdin, Stream.Null, Stream.Null, terminalSize: null, CancellationToken.None);
        await pair.Server.CloseOutputAsync(WebSocketCloseStatus.InternalServerError, "container vanished", CancellationToken.None);

        var e = await Assert.ThrowsAsync<BerthConnectionException>(() => run.WaitAsync(Timeout));
        Assert.Contains("container vanished", e.Message, StringComparison.Ordinal);
    }
}
