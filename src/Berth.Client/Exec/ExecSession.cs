using System.Net.WebSockets;
using Berth.Contracts;

namespace Berth.Client.Exec;

/// <summary>Runs one exec over a connected websocket: pumps stdin and terminal sizes up, output down, until the Exit frame.</summary>
internal sealed class ExecSession
{
    private const int StdinChunkSize = 16 * 1024;
    private const int ReceiveBufferSize = 64 * 1024;

    private readonly WebSocket socket;
    private readonly TimeSpan resizePollInterval;
    private readonly (int Columns, int Rows)? initialSize;

    // A websocket allows one send at a time; stdin and resize frames come from two loops.
    private readonly SemaphoreSlim sendLock = new(1, 1);

    /// <param name="initialSize">The size the request already gave the terminal, so it is not sent again.</param>
    public ExecSession(WebSocket socket, TimeSpan resizePollInterval, (int Columns, int Rows)? initialSize = null)
    {
        ArgumentNullException.ThrowIfNull(socket);
        this.socket = socket;
        this.resizePollInterval = resizePollInterval;
        this.initialSize = initialSize;
    }

    /// <summary>Returns the command's exit code.</summary>
    public async Task<int> RunAsync(Stream stdin, Stream stdout, Stream stderr, Func<(int Columns, int Rows)?>? terminalSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stdin);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        using var pumps = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (terminalSize is not null)
        {
            _ = PumpTerminalSizeAsync(terminalSize, pumps.Token);
        }

        // Not awaited: a read from a terminal cannot be cancelled, and the command may end while it blocks.
        _ = PumpStdinAsync(stdin, pumps.Token);
        try
        {
            int exitCode = await ReceiveUntilExitAsync(stdout, stderr, cancellationToken).ConfigureAwait(false);
            await pumps.CancelAsync().ConfigureAwait(false);
            await CloseQuietlyAsync().ConfigureAwait(false);
            return exitCode;
        }
        finally
        {
            await pumps.CancelAsync().ConfigureAwait(false);
        }
    }

    private async Task<int> ReceiveUntilExitAsync(Stream stdout, Stream stderr, CancellationToken cancellationToken)
    {
        var buffer = new byte[ReceiveBufferSize];
        using var fragments = new MemoryStream();
        while (true)
        {
            ValueWebSocketReceiveResult received;
            try
            {
                received = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
            }
            catch (WebSocketException e)
            {
                throw new BerthConnectionException($"the exec connection to berthd broke: {e.Message}", e);
            }

            if (received.MessageType == WebSocketMessageType.Close)
            {
                string reason = string.IsNullOrEmpty(socket.CloseStatusDescription) ? "" : $": {socket.CloseStatusDescription}";
                throw new BerthConnectionException($"berthd ended the exec session without an exit status{reason}");
            }

            ReadOnlyMemory<byte> message = buffer.AsMemory(0, received.Count);
            if (!received.EndOfMessage || fragments.Length > 0)
            {
                fragments.Write(message.Span);
                if (!received.EndOfMessage)
                {
                    continue;
                }

                message = fragments.ToArray();
                fragments.SetLength(0);
            }

            if (received.MessageType != WebSocketMessageType.Binary || !ExecFrame.TryDecode(message, out var frame))
            {
                continue;
            }

            switch (frame.Channel)
            {
                case ExecChannel.Stdout:
                    await WriteAsync(stdout, frame.Payload, cancellationToken).ConfigureAwait(false);
                    break;
                case ExecChannel.Stderr:
                    await WriteAsync(stderr, frame.Payload, cancellationToken).ConfigureAwait(false);
                    break;
                case ExecChannel.Exit:
                    return ExecFrame.ParseExitCode(frame.Payload.Span);
                default:
                    // Channels the client does not know are ignored, so the daemon can add some.
                    break;
            }
        }
    }

    private static async Task WriteAsync(Stream target, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        await target.WriteAsync(payload, cancellationToken).ConfigureAwait(false);
        await target.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task PumpStdinAsync(Stream stdin, CancellationToken cancellationToken)
    {
        // The first byte stays reserved for the channel, so chunks go out without a copy.
        var buffer = new byte[StdinChunkSize + 1];
        buffer[0] = (byte)ExecChannel.Stdin;
        try
        {
            int read;
            while ((read = await stdin.ReadAsync(buffer.AsMemory(1), cancellationToken).ConfigureAwait(false)) > 0)
            {
                await SendAsync(buffer.AsMemory(0, read + 1), cancellationToken).ConfigureAwait(false);
            }

            await SendAsync(new[] { (byte)ExecChannel.StdinClosed }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            // The session is over or broken; the receive loop reports what matters.
        }
    }

    private async Task PumpTerminalSizeAsync(Func<(int Columns, int Rows)?> terminalSize, CancellationToken cancellationToken)
    {
        var sent = initialSize;
        try
        {
            while (true)
            {
                var size = terminalSize();
                if (size is { Columns: > 0, Rows: > 0 } current && current != sent)
                {
                    await SendAsync(ExecFrame.EncodeResize(current.Columns, current.Rows), cancellationToken).ConfigureAwait(false);
                    sent = current;
                }

                await Task.Delay(resizePollInterval, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            // As for stdin: the session is over.
        }
    }

    private async Task SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        await sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await socket.SendAsync(message, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken).ConfigureAwait(false);
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
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException)
        {
            // The exit code is already known; a close that fails changes nothing.
        }
    }
}
