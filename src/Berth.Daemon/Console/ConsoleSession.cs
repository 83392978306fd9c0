using System.Threading.Channels;
using Berth.Contracts;
using Berth.Daemon.Native;

namespace Berth.Daemon.Consoles;

/// <summary>
/// One console: a login shell on its own pseudo-terminal (lxc-attach), its own output pump and input writer threads,
/// and at most one websocket attached. When the websocket drops, the shell keeps running for the grace period,
/// its output kept in <see cref="Output"/> for the reattach to replay; then it is killed.
/// </summary>
public sealed partial class ConsoleSession
{
    private readonly PtyProcess _pty;
    private readonly ConsoleOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action<ConsoleSession> _removed;
    private readonly Channel<byte[]> _input = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(64) { SingleReader = true });
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _pumpDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ConsoleAttachment? _attached;
    private ITimer? _grace;
    private bool _outputDone;
    private int? _exitCode;
    private bool _terminated;

    public ConsoleSession(string id, string owner, string container, PtyProcess pty, ConsoleOptions options, TimeProvider time, ILogger logger, Action<ConsoleSession> removed)
    {
        ArgumentNullException.ThrowIfNull(pty);
        ArgumentNullException.ThrowIfNull(options);
        Id = id;
        Owner = owner;
        Container = container;
        _pty = pty;
        _options = options;
        _time = time;
        _logger = logger;
        _removed = removed;
        Output = new ConsoleOutput(options.BufferBytes);
    }

    public string Id { get; }

    /// <summary>The name of the caller that opened it: only that caller may attach.</summary>
    public string Owner { get; }

    public string Container { get; }

    public ConsoleOutput Output { get; }

    /// <summary>The shell's exit code once it has ended and all its output has been read; null while it runs.</summary>
    public int? ExitCode
    {
        get
        {
            lock (_lock)
            {
                return _outputDone ? _exitCode : null;
            }
        }
    }

    /// <summary>Starts the threads that move bytes between the terminal and the session.</summary>
    public void Start()
    {
        new Thread(Pump) { IsBackground = true, Name = "console-out" }.Start();
        new Thread(WriteInput) { IsBackground = true, Name = "console-in" }.Start();
        _ = _pty.WaitForExitAsync().ContinueWith(t => Finish(exitCode: t.Result), TaskScheduler.Default);
    }

    /// <summary>
    /// Attaches <paramref name="socket"/> (taking the session from any connection attached before) and runs until the
    /// connection ends; a reattach first replays the kept output after a terminal reset.
    /// </summary>
    public async Task AttachAsync(System.Net.WebSockets.WebSocket socket, bool reattach, int columns, int rows, CancellationToken requestAborted)
    {
        var attachment = new ConsoleAttachment(socket, this, _options.StallTimeout);
        ConsoleAttachment? previous;
        long offset;
        lock (_lock)
        {
            previous = _attached;
            _attached = attachment;
            _grace?.Dispose();
            _grace = null;
            offset = reattach ? Output.ReplayStart() : 0;
            Output.SetReader(offset);
        }

        if (previous is not null)
        {
            await previous.TakeOverAsync().ConfigureAwait(false);
        }

        Resize(columns, rows);
        LogAttached(_logger, Id, Container, Owner, reattach);
        var hello = new ConsoleHello { Session = Id, Reattached = reattach, GraceSeconds = (int)Math.Ceiling(_options.GracePeriod.TotalSeconds) };
        try
        {
            await attachment.RunAsync(hello, offset, reset: reattach, requestAborted).ConfigureAwait(false);
        }
        finally
        {
            Detach(attachment);
        }
    }

    public void Resize(int columns, int rows) => _pty.Resize(columns, rows);

    /// <summary>Queues input for the terminal; waits (this client only) while 64 chunks are still unwritten.</summary>
    public ValueTask WriteInputAsync(byte[] bytes, CancellationToken cancellationToken) => _input.Writer.WriteAsync(bytes, cancellationToken);

    /// <summary>Kills the shell and everything in its terminal session, and forgets the session. Safe to call twice.</summary>
    public void Terminate(string why)
    {
        lock (_lock)
        {
            if (_terminated)
            {
                return;
            }

            _terminated = true;
            _grace?.Dispose();
            _grace = null;
        }

        LogTerminated(_logger, Id, Container, why);
        _removed(this);
        _input.Writer.TryComplete();
        ProcessSessions.KillSessionsLedByChildrenOf(_pty.Pid);
        _ = Task.Run(async () =>
        {
            // lxc-attach ends once what it attached has; if it does not, it goes too.
            if (await Task.WhenAny(_pumpDone.Task, Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false) != _pumpDone.Task)
            {
                _pty.Kill();
            }

            Output.Close();
            await _pumpDone.Task.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            _pty.Dispose();
        });
    }

    private void Detach(ConsoleAttachment attachment)
    {
        bool ended;
        lock (_lock)
        {
            if (_attached != attachment)
            {
                return; // Taken over: the session has another connection.
            }

            _attached = null;
            Output.SetReader(null);
            ended = _outputDone && _exitCode is not null;
            if (!ended && !_terminated)
            {
                _grace = _time.CreateTimer(_ => Terminate("its grace period ran out"), null, _options.GracePeriod, Timeout.InfiniteTimeSpan);
            }
        }

        LogDetached(_logger, Id, Container, attachment.Outcome);
        if (ended)
        {
            Terminate("the shell ended");
        }
    }

    private void Pump()
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var space = Output.WaitForSpace(buffer.Length);
                if (space == 0)
                {
                    break;
                }

                var n = _pty.Terminal.Read(buffer, 0, space);
                if (n == 0)
                {
                    break;
                }

                Output.Append(buffer.AsSpan(0, n));
                Volatile.Read(ref _attached)?.Wake();
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // A pseudo-terminal reports EIO once lxc-attach has closed it: that is its end of file.
        }

        _pumpDone.TrySetResult();
        Finish(exitCode: null);
    }

    private void WriteInput()
    {
        try
        {
            while (_input.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                while (_input.Reader.TryRead(out var chunk))
                {
                    _pty.Terminal.Write(chunk);
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The terminal is gone; the pump reports the end.
        }
    }

    /// <summary>Notes the end of output (null) or the exit code; once both are in, the attached client gets the Exit frame.</summary>
    private void Finish(int? exitCode)
    {
        bool ended;
        ConsoleAttachment? attached;
        lock (_lock)
        {
            if (exitCode is null)
            {
                _outputDone = true;
            }
            else
            {
                _exitCode = exitCode;
            }

            ended = _outputDone && _exitCode is not null;
            attached = _attached;
        }

        if (ended)
        {
            _input.Writer.TryComplete();
            attached?.Wake();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Console {Session} on {Container} attached for {Owner} (reattach: {Reattach})")]
    private static partial void LogAttached(ILogger logger, string session, string container, string owner, bool reattach);

    [LoggerMessage(Level = LogLevel.Information, Message = "Console {Session} on {Container} detached ({Outcome})")]
    private static partial void LogDetached(ILogger logger, string session, string container, string outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Console {Session} on {Container} ended: {Why}")]
    private static partial void LogTerminated(ILogger logger, string session, string container, string why);
}
