using System.Diagnostics;
using System.Text;
using Berth.Client;

namespace Berth.IntegrationTests.Infrastructure;

/// <summary>A real berthd process on a test's own state directory.</summary>
public sealed class DaemonProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log;
    private bool _disposed;

    private DaemonProcess(Process process, StringBuilder log)
    {
        _process = process;
        _log = log;
    }

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

    public bool HasExited => _process.HasExited;

    public int ProcessId => _process.Id;

    /// <summary>Starts berthd; refuses to without its own --nft-table, since the default table is a real berthd's firewall.</summary>
    public static async Task<DaemonProcess> StartAsync(string stateDir, params string[] extraArgs)
    {
        ArgumentNullException.ThrowIfNull(extraArgs);
        var table = Array.IndexOf(extraArgs, "--nft-table");
        if (table < 0 || table + 1 >= extraArgs.Length || extraArgs[table + 1] == "berth")
        {
            throw new ArgumentException("a test berthd needs an --nft-table of its own: on the default table it would delete the host berthd's rules", nameof(extraArgs));
        }

        if (extraArgs.Contains("--default-network") && !extraArgs.Contains("--default-network-name"))
        {
            throw new ArgumentException("a test berthd with --default-network needs a --default-network-name of its own, not the host's berth0", nameof(extraArgs));
        }

        var info = new ProcessStartInfo(TestHost.Dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { TestHost.DaemonDll, "--state-dir", stateDir, "--images-dir", TestHost.ImagesDir, "--reconcile-interval", "00:00:01", "--stop-timeout", "10" }.Concat(extraArgs))
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Remove("BERTH_DIR");
        var log = new StringBuilder();
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(log, e.Data);
        process.ErrorDataReceived += (_, e) => Append(log, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var daemon = new DaemonProcess(process, log);

        using var client = new BerthClient(stateDir);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"berthd exited with {process.ExitCode}:\n{daemon.Log}");
            }

            try
            {
                await client.GetServerInfoAsync();
                await daemon.WaitForNetworkListenersAsync(extraArgs, deadline);
                return daemon;
            }
            catch (BerthConnectionException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>--http and --https start after the socket, on their own: waits until each has come up or said why it cannot.</summary>
    private async Task WaitForNetworkListenersAsync(string[] args, DateTime deadline)
    {
        var listeners = args.Select((arg, i) => (arg, i)).Where(a => a.arg is "--http" or "--https" && a.i + 1 < args.Length)
            .Select(a => $"{a.arg[2..]}://{args[a.i + 1]}").ToList();
        while (listeners.Any(l => !Log.Contains($"on {l}", StringComparison.Ordinal)))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"berthd did not report its listeners {string.Join(", ", listeners)}:\n{Log}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Like a crash or power cut: SIGKILL, no chance to clean up.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>A normal stop: SIGTERM, then wait.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            await Host.RunAsync("kill", "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await _process.WaitForExitAsync(timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            await StopAsync();
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private static void Append(StringBuilder log, string? line)
    {
        if (line is not null)
        {
            lock (log)
            {
                log.AppendLine(line);
            }
        }
    }
}
