using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Berth.Contracts;

namespace Berth.Daemon.Consoles;

/// <summary>
/// One websocket attached to a <see cref="ConsoleSession"/>: sends the session's output from its own offset and hands
/// input and resizes to the session. A send that blocks for the stall timeout drops the connection, never the session.
/// </summary>
public sealed class ConsoleAttachment
{
    private const int MaxMessage = 64 * 1024;

    private readonly WebSocket _socket;
    private readonly ConsoleSession _session;
    private readonly TimeSpan _stallTimeout;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public ConsoleAttachment(WebSocket socket, ConsoleSession session, TimeSpan stallTimeout)
    {
        _socket = socket;
        _session = session;
        _stallTimeout = stallTimeout;
    }

    /// <summary>Why the connection ended, for the log: "closed", "taken over", "stalled", "exited", "broken".</summary>
    public string Outcome { get; private set; } = "closed";

    /// <summary>New output or the session's end: the sender looks again.</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>Sends the hello (and for a reattach a terminal reset and the replay), then runs until the connection ends.</summary>
    public async Task RunAsync(ConsoleHello hello, long offset, bool reset, CancellationToken requestAborted)
    {
        var helloBytes = JsonSerializer.SerializeToUtf8Bytes(hello, WireJson.TypeInfo<ConsoleHello>());
        var sender = Task.Run(async () =>
        {
            await SendAsync(helloBytes, WebSocketMessageType.Text).ConfigureAwait(false);
            if (reset)
            {
                // The client may still show the screen it had (a network drop) or nothing (a page reload): start clean.
                await SendAsync(Frame(ExecChannel.Stdout, "\x1bc"u8), WebSocketMessageType.Binary).ConfigureAwait(false);
            }

            await SendOutputAsync(offset).ConfigureAwait(false);
        }, CancellationToken.None);
        try
        {
            await ReceiveAsync(requestAborted).ConfigureAwait(false);
        }
        finally
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await sender.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            if (_socket.State is not (WebSocketState.Closed or WebSocketState.Aborted))
            {
                _socket.Abort();
            }
        }
    }

    /// <summary>Another connection took the session: close this one saying so.</summary>
    public async Task TakeOverAsync()
    {
        Outcome = "taken over";
        await _stop.CancelAsync().ConfigureAwait(false);
        await CloseAsync(ConsoleCloseCodes.TakenOver, "another connection attached to this console session").ConfigureAwait(false);
    }

    private async Task SendOutputAsync(long offset)
    {
        var buffer = new byte[16 * 1024 + 1];
        buffer[0] = (byte)ExecChannel.Stdout;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var n = _session.Output.Read(ref offset, buffer.AsSpan(1));
                if (n > 0)
                {
                    await SendAsync(buffer.AsMemory(0, n + 1), WebSocketMessageType.Binary).ConfigureAwait(false);
                    offset += n;
                    _session.Output.SetReader(offset);
                    continue;
                }

                if (_session.ExitCode is { } code && offset >= _session.Output.Written)
                {
                    Outcome = "exited";
                    _session.Terminate("the shell ended"); // over: no reattach may find it once its client has the exit code
                    await SendAsync(Frame(ExecChannel.Exit, Encoding.ASCII.GetBytes(code.ToString(CultureInfo.InvariantCulture))), WebSocketMessageType.Binary).ConfigureAwait(false);
                    await CloseAsync(WebSocketCloseStatus.NormalClosure, "the shell ended").ConfigureAwait(false);
                    return;
                }

                await _wake.Reader.ReadAsync(_stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Detached, taken over or closed.
        }
        catch (OperationCanceledException)
        {
            // The send timed out and the socket was aborted, which ends the receive loop.
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
        {
            Outcome = "broken";
            _socket.Abort();
        }
    }

    private async Task ReceiveAsync(CancellationToken requestAborted)
    {
        var buffer = new byte[MaxMessage + 1];
        try
        {
            while (_socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        await CloseAsync(ConsoleCloseCodes.TooBig, $"console messages are at most {MaxMessage} bytes").ConfigureAwait(false);
                        return;
                    }

                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), requestAborted).ConfigureAwait(false);
                    length += result.Count;
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await CloseAsync(WebSocketCloseStatus.NormalClosure, "detached").ConfigureAwait(false);
                    return;
                }

                if (result.MessageType != WebSocketMessageType.Binary || length == 0)
                {
                    continue;
                }

                switch ((ExecChannel)buffer[0])
                {
                    case ExecChannel.Stdin when length > 1:
                        await _session.WriteInputAsync(buffer.AsMemory(1, length - 1).ToArray(), requestAborted).ConfigureAwait(false);
                        break;
                    case ExecChannel.Resize when ParseSize(buffer.AsSpan(1, length - 1)) is { } size:
                        _session.Resize(size.Columns, size.Rows);
                        break;
                    default:
                        // A console has no end of input and no other channels from the client: ignored, as unknown channels are.
                        break;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away or the socket was aborted (stalled, taken over): the session waits for a reattach.
            if (Outcome == "closed")
            {
                Outcome = "broken";
            }
        }
    }

    /// <summary>"COLUMNS ROWS" as exec sends it; "COLUMNSxROWS" too.</summary>
    public static (int Columns, int Rows)? ParseSize(ReadOnlySpan<byte> payload)
    {
        var parts = Encoding.ASCII.GetString(payload).Trim().Split(' ', 'x');
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var columns)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var rows)
            && columns is >= 1 and <= 1000 && rows is >= 1 and <= 1000
            ? (columns, rows)
            : null;
    }

    private static byte[] Frame(ExecChannel channel, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[payload.Length + 1];
        frame[0] = (byte)channel;
        payload.CopyTo(frame.AsSpan(1));
        return frame;
    }

    private async Task SendAsync(ReadOnlyMemory<byte> message, WebSocketMessageType type)
    {
        await _sendLock.WaitAsync(_stop.Token).ConfigureAwait(false);
        try
        {
            var send = _socket.SendAsync(message, type, endOfMessage: true, CancellationToken.None).AsTask();
            if (await Task.WhenAny(send, Task.Delay(_stallTimeout, CancellationToken.None)).ConfigureAwait(false) != send)
            {
                // The client reads nothing: drop it (its session waits for a reattach), so the shell is not held up.
                Outcome = "stalled";
                _socket.Abort();
                throw new OperationCanceledException("stalled");
            }

            await send.ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Starts the closing handshake; a client that does not answer it is cut off after a few seconds.</summary>
    private async Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        if (!await _sendLock.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false))
        {
            _socket.Abort();
            return;
        }

        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(status, reason, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            _socket.Abort();
        }
        finally
        {
            _sendLock.Release();
        }

        _ = Task.Delay(TimeSpan.FromSeconds(5)).ContinueWith(_ => AbortUnlessClosed(), TaskScheduler.Default);
    }

    private void AbortUnlessClosed()
    {
        try
        {
            if (_socket.State != WebSocketState.Closed)
            {
                _socket.Abort();
            }
        }
        catch (ObjectDisposedException)
        {
            // The endpoint has finished with it already.
        }
    }
}
