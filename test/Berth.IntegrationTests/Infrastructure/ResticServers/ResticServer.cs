using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Berth.IntegrationTests.Infrastructure.ResticServers;

/// <summary>
/// A restic repository server of the test's own on 127.0.0.1: a free port, its own temporary directory (the
/// repository data lives under it), one server process. <see cref="Repository"/>, <see cref="Environment"/> and
/// <see cref="Options"/> are what restic needs to reach it; <see cref="ResticAsync"/> runs restic with them and a
/// cache inside the directory. Dispose kills the process tree and removes the directory, also after a failed start.
/// </summary>
public abstract class ResticServer : IAsyncDisposable
{
    private readonly StringBuilder _log = new();
    private Process? _process;

    protected ResticServer(string kind)
    {
        Dir = Path.Combine(Path.GetTempPath(), $"berth-{kind}-{Guid.NewGuid():N}"[..(kind.Length + 22)]);
        Port = FreePort();
    }

    /// <summary>The fixture's own directory (0700); removed on dispose.</summary>
    public string Dir { get; }

    public int Port { get; }

    /// <summary>The restic repository URL (RESTIC_REPOSITORY, or -r).</summary>
    public abstract string Repository { get; }

    /// <summary>Variables restic needs besides RESTIC_REPOSITORY and RESTIC_PASSWORD (credentials of the server).</summary>
    public virtual IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>();

    /// <summary>Global restic options the server needs (before the command), e.g. -o sftp.command=... or --cacert.</summary>
    public virtual IReadOnlyList<string> Options => [];

    /// <summary>What the server printed (stdout and stderr), for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Prepares the directory, starts the server and waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        Directory.CreateDirectory(Dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var (program, args, environment) = await PrepareAsync().ConfigureAwait(false);
        _process = Start(program, args, environment);
        await WaitForPortAsync().ConfigureAwait(false);
    }

    /// <summary>Runs restic against this server: its repository, options and environment, the given password.</summary>
    public async Task<(int ExitCode, string Stdout, string Stderr)> ResticAsync(string password, params string[] args)
    {
        var info = new ProcessStartInfo("restic") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in Options.Concat(args))
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in Environment)
        {
            info.Environment[name] = value;
        }

        info.Environment["RESTIC_REPOSITORY"] = Repository;
        info.Environment["RESTIC_PASSWORD"] = password;
        info.Environment["RESTIC_CACHE_DIR"] = Path.Combine(Dir, "restic-cache");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"restic {string.Join(' ', args)} did not finish in 5 minutes\n{Log}");
        }

        return (process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    /// <summary>Like <see cref="ResticAsync"/>, throwing with restic's and the server's output when it fails.</summary>
    public async Task<string> ResticCheckedAsync(string password, params string[] args)
    {
        var (code, stdout, stderr) = await ResticAsync(password, args).ConfigureAwait(false);
        return code == 0 ? stdout : throw new InvalidOperationException($"restic {string.Join(' ', args)} exited {code}: {stderr}\nserver:\n{Log}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            try
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                // It had exited already.
            }

            process.Dispose();
        }

        if (Directory.Exists(Dir))
        {
            Directory.Delete(Dir, recursive: true);
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Writes what the server needs into <see cref="Dir"/> and says how to start it.</summary>
    protected abstract Task<(string Program, IReadOnlyList<string> Args, IReadOnlyDictionary<string, string> Environment)> PrepareAsync();

    protected static string PortText(int port) => port.ToString(CultureInfo.InvariantCulture);

    private Process Start(string program, IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Dir };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info };
        void Append(object? _, DataReceivedEventArgs e)
        {
            if (e.Data is not null)
            {
                lock (_log)
                {
                    _log.AppendLine(e.Data);
                }
            }
        }

        process.OutputDataReceived += Append;
        process.ErrorDataReceived += Append;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task WaitForPortAsync()
    {
        for (var i = 0; i < 200; i++)
        {
            if (_process is { HasExited: true } exited)
            {
                throw new InvalidOperationException($"{exited.StartInfo.FileName} exited {exited.ExitCode} before it listened on 127.0.0.1:{PortText(Port)}\n{Log}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port).ConfigureAwait(false);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100).ConfigureAwait(false);
            }
        }

        throw new InvalidOperationException($"nothing listens on 127.0.0.1:{PortText(Port)} after 20 s\n{Log}");
    }

    private static int FreePort()
    {
        while (true)
        {
            var port = RandomNumberGenerator.GetInt32(30000, 40000);
            try
            {
                using var probe = new TcpListener(IPAddress.Loopback, port);
                probe.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }
    }
}
