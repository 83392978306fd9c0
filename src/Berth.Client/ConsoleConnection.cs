using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Berth.Client.Exec;
using Berth.Contracts;

namespace Berth.Client;

/// <summary>
/// A connected container console (see docs/console.md): output comes from <see cref="ReceiveAsync"/>, input and sizes
/// go up with <see cref="SendInputAsync"/> and <see cref="ResizeAsync"/>. Dropping the connection keeps the session
/// for its grace period; <c>OpenConsoleAsync(name, Session)</c> reattaches to it.
/// </summary>
public sealed class ConsoleConnection : IDisposable
{
    private readonly ClientWebSocket socket;
    private readonly SemaphoreSlim sendLock = new(1, 1);
    private readonly byte[] buffer = new byte[64 * 1024];

    internal ConsoleConnection(ClientWebSocket socket, ConsoleHello hello)
    {
        this.socket = socket;
        Hello = hello;
    }

    public ConsoleHello Hello { get; }

    /// <summary>The session's id, to reattach with.</summary>
    public string Session => Hello.Session;

    /// <summary>The shell's exit code once it has ended (the session is over).</summary>
    public int? ExitCode { get; private set; }

    /// <summary>Why berthd closed the connection (e.g. another connection took the session over), once it has.</summary>
    public string? CloseReason => socket.CloseStatusDescription;

    public WebSocketCloseStatus? CloseStatus => socket.CloseStatus;

    internal static async Task<ConsoleConnection> AcceptHelloAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        using var message = new MemoryStream();
        var buffer = new byte[4096];
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage && message.Length < 65536);

        if (result.MessageType != WebSocketMessageType.Text)
        {
            throw new BerthConnectionException($"berthd did not start the console with its session (got a {result.MessageType} message{(socket.CloseStatusDescription is { } reason ? $": {reason}" : "")})");
        }

        var hello = JsonSerializer.Deserialize(message.ToArray(), WireJson.TypeInfo<ConsoleHello>())
            ?? throw new BerthConnectionException("berthd sent an empty console greeting");
        return new ConsoleConnection(socket, hello);
    }

    /// <summary>The next output, or null once the session is over (<see cref="ExitCode"/> set) or the connection closed.</summary>
    public async Task<byte[]?> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        using var fragments = new MemoryStream();
        while (true)
        {
            ValueWebSocketReceiveResult received;
            try
            {
                received = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
            }
            catch (WebSocketException)
            {
                return null;
            }

            if (received.MessageType == WebSocketMessageType.Close)
            {
                await CloseQuietlyAsync().ConfigureAwait(false);
                return null;
            }

            fragments.Write(buffer, 0, received.Count);
            if (!received.EndOfMessage)
            {
                continue;
            }

            var message = fragments.ToArray();
            fragments.SetLength(0);
            if (received.MessageType != WebSocketMessageType.Binary || !ExecFrame.TryDecode(message, out var frame))
            {
                continue;
            }

            switch (frame.Channel)
            {
                case ExecChannel.Stdout or ExecChannel.Stderr:
                    return frame.Payload.ToArray();
                case ExecChannel.Exit:
                    ExitCode = ExecFrame.ParseExitCode(frame.Payload.Span);
                    await CloseQuietlyAsync().ConfigureAwait(false);
                    return null;
                default:
                    break;
            }
        }
    }

    public Task SendInputAsync(ReadOnlyMemory<byte> input, CancellationToken cancellationToken = default)
    {
        var message = new byte[input.Length + 1];
        message[0] = (byte)ExecChannel.Stdin;
        input.CopyTo(message.AsMemory(1));
        return SendAsync(message, cancellationToken);
    }

    public Task SendInputAsync(string text, CancellationToken cancellationToken = default) =>
        SendInputAsync(Encoding.UTF8.GetBytes(text), cancellationToken);

    public Task ResizeAsync(int columns, int rows, CancellationToken cancellationToken = default) =>
        SendAsync(ExecFrame.EncodeResize(columns, rows), cancellationToken);

    /// <summary>Closes the connection; the session waits for a reattach for its grace period.</summary>
    public Task DetachAsync() => CloseQuietlyAsync();

    /// <summary>Drops the connection without a close handshake, as a broken network does.</summary>
    public void Abort() => socket.Abort();

    public void Dispose()
    {
        socket.Dispose();
        sendLock.Dispose();
    }

    private async Task SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        await sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await socket.SendAsync(message, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        catch (WebSocketException e)
        {
            throw new BerthConnectionException($"the console connection to berthd broke: {e.Message}", e);
        }
        finally
        {
            sendLock.Release();
        }
    }

    private async Task CloseQuietlyAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await sendLock.WaitAsync(timeout.Token).ConfigureAwait(false);
            try
            {
                if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
                }
            }
            finally
            {
                sendLock.Release();
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            // Closing a connection that is going away changes nothing.
        }
    }

    internal static string Query(string name, string? session, int columns, int rows)
    {
        var url = new StringBuilder("api/v1/containers/").Append(Uri.EscapeDataString(name)).Append("/console")
            .Append(CultureInfo.InvariantCulture, $"?cols={columns}&rows={rows}");
        if (session is not null)
        {
            url.Append("&session=").Append(Uri.EscapeDataString(session));
        }

        return url.ToString();
    }
}
