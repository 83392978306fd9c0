using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using Berth.Contracts;
using Berth.Daemon.Hosting;
using Berth.Daemon.Native;

namespace Berth.Daemon.Exec;

/// <summary>
/// Runs a command in a container with lxc-attach and bridges its standard streams to a websocket: pipes without a
/// terminal, a pseudo-terminal with one. The last message carries the exit code.
/// </summary>
public sealed class ExecSessions(StatePaths paths)
{
    private const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>The lxc-attach argument vector; the working directory is entered by a fixed script that takes it as an argument.</summary>
    public IReadOnlyList<string> AttachArguments(string name, ExecRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var args = new List<string> { "lxc-attach", "-n", name, "-P", paths.LxcPath, "--clear-env" };
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = DefaultPath,
            ["HOME"] = "/root",
            ["USER"] = "root",
            ["LANG"] = "C.UTF-8",
        };
        if (request.Tty)
        {
            environment["TERM"] = "xterm-256color";
        }

        foreach (var pair in request.Environment)
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            environment[pair[..eq]] = pair[(eq + 1)..];
        }

        foreach (var (key, value) in environment)
        {
            args.Add("--set-var");
            args.Add($"{key}={value}");
        }

        args.Add("--");
        if (request.WorkingDirectory is { } cwd)
        {
            args.AddRange(["/bin/sh", "-c", "cd \"$1\" && shift && exec \"$@\"", "sh", cwd]);
        }

        args.AddRange(request.Command);
        return args;
    }

    public async Task RunAsync(WebSocket socket, string name, ExecRequest request, int columns, int rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(socket);
        var argv = AttachArguments(name, request);
        var sender = new FrameSender(socket);
        int exitCode;
        if (request.Tty)
        {
            var environment = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
                .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
            using var pty = PtyProcess.Start(argv, environment, columns, rows);
            var exit = pty.WaitForExitAsync();
            var output = PumpAsync(pty.Terminal, ExecChannel.Stdout, sender);
            var input = ReceiveAsync(socket, pty.Terminal, resize: (c, r) => pty.Resize(c, r), closeInput: () => pty.Terminal.Write("\x04"u8), cancellationToken);
            exitCode = await exit.ConfigureAwait(false);
            await output.WaitAsync(TimeSpan.FromSeconds(2), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            _ = input;
        }
        else
        {
            var startInfo = new ProcessStartInfo(argv[0])
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in argv.Skip(1))
            {
                startInfo.ArgumentList.Add(arg);
            }

            using var process = Process.Start(startInfo) ?? throw new IOException("cannot start lxc-attach");
            var stdout = PumpAsync(process.StandardOutput.BaseStream, ExecChannel.Stdout, sender);
            var stderr = PumpAsync(process.StandardError.BaseStream, ExecChannel.Stderr, sender);
            var stdin = process.StandardInput.BaseStream;
            var input = ReceiveAsync(socket, stdin, resize: null, closeInput: stdin.Close, cancellationToken);
            using var registration = cancellationToken.Register(() => Kill(process));
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
            exitCode = process.ExitCode;
            _ = input;
        }

        await sender.SendAsync(ExecChannel.Exit, Encoding.ASCII.GetBytes(exitCode.ToString(CultureInfo.InvariantCulture))).ConfigureAwait(false);
        if (socket.State == WebSocketState.Open)
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "exited", CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }

    private static async Task PumpAsync(Stream source, ExecChannel channel, FrameSender sender)
    {
        var buffer = new byte[16384];
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                await sender.SendAsync(channel, buffer.AsMemory(0, read)).ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
            // A pseudo-terminal reports EIO once the program has closed it: that is its end of file.
        }
        catch (WebSocketException)
        {
        }
    }

    private static async Task ReceiveAsync(WebSocket socket, Stream stdin, Action<int, int>? resize, Action closeInput, CancellationToken cancellationToken)
    {
        var buffer = new byte[65536];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                using var message = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                var frame = message.ToArray();
                if (frame.Length == 0)
                {
                    continue;
                }

                switch ((ExecChannel)frame[0])
                {
                    case ExecChannel.Stdin:
                        await stdin.WriteAsync(frame.AsMemory(1), cancellationToken).ConfigureAwait(false);
                        await stdin.FlushAsync(cancellationToken).ConfigureAwait(false);
                        break;
                    case ExecChannel.StdinClosed:
                        closeInput();
                        break;
                    case ExecChannel.Resize when resize is not null:
                        var parts = Encoding.ASCII.GetString(frame, 1, frame.Length - 1).Split(' ');
                        if (parts.Length == 2 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var c) && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var r))
                        {
                            resize(c, r);
                        }

                        break;
                    default:
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The command ended or the client went away; the exit path closes the socket.
        }
    }

    /// <summary>Serialises sends: a websocket takes one message at a time.</summary>
    private sealed class FrameSender(WebSocket socket)
    {
        private readonly SemaphoreSlim _gate = new(1, 1);

        public async Task SendAsync(ExecChannel channel, ReadOnlyMemory<byte> payload)
        {
            var frame = new byte[payload.Length + 1];
            frame[0] = (byte)channel;
            payload.CopyTo(frame.AsMemory(1));
            await _gate.WaitAsync().ConfigureAwait(false);
            try
            {
                if (socket.State == WebSocketState.Open)
                {
                    await socket.SendAsync(frame, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
                }
            }
            finally
            {
                _gate.Release();
            }
        }
    }
}
