using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Berth.IntegrationTests.Backups;

/// <summary>A restic REST server of the test's own: <c>rclone serve restic</c> on a free loopback port, serving a temporary directory.</summary>
public sealed class ResticRestServer : IAsyncDisposable
{
    private readonly Process _process;

    private ResticRestServer(Process process, int port, string directory)
    {
        _process = process;
        Port = port;
        Directory = directory;
    }

    public int Port { get; }

    public string Directory { get; }

    /// <summary>The URL of repository <paramref name="path"/> on it, as a backup target's url.</summary>
    public string Url(string path) => $"rest:http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/{path}";

    public static async Task<ResticRestServer> StartAsync(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        var port = FreePort();
        var info = new ProcessStartInfo("rclone") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "serve", "restic", "--addr", $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", directory })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info)!;
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return new ResticRestServer(process, port, directory);
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        process.Kill();
        throw new InvalidOperationException("rclone serve restic did not start listening");
    }

    /// <summary>A loopback port nothing listens on (bound, then released).</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
