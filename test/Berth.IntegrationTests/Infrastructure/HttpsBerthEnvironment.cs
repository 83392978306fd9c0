using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Berth.Client;

namespace Berth.IntegrationTests.Infrastructure;

/// <summary>
/// A Berth environment whose daemon also serves HTTPS on a free loopback port with its self-signed certificate, and a
/// CLI whose remotes file (XDG_CONFIG_HOME) is the environment's own, under its state directory.
/// </summary>
public sealed class HttpsBerthEnvironment : BerthEnvironment
{
    public HttpsBerthEnvironment()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public int Port { get; }

    public string Authority => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public Uri BaseAddress => new($"https://{Authority}/");

    public string AdminToken => File.ReadAllText(Path.Combine(StateDir, "admin.token")).Trim();

    /// <summary>XDG_CONFIG_HOME for CLI runs: berth/remotes.json lands under it.</summary>
    public string ConfigHome(string hint = "cli") => Path.Combine(StateDir, $"config-{hint}");

    protected override string[] DaemonArguments => ["--https", Authority];

    /// <summary>Runs the CLI with this environment's remotes file and a BERTH_DIR where no daemon is, so nothing silently falls back to the socket.</summary>
    public Task<CliResult> RemoteCliAsync(string? stdin, params string[] args) =>
        RemoteCliAsync(ConfigHome(), stdin, new Dictionary<string, string>(), args);

    public Task<CliResult> RemoteCliAsync(string configHome, string? stdin, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        CliRunner.RunWithEnvironmentAsync(Path.Combine(StateDir, "no-daemon-here"), stdin, new Dictionary<string, string>(environment) { ["XDG_CONFIG_HOME"] = configHome }, args);

    /// <summary>The HTTPS listener starts after the socket: waits until its handshake works and returns the fingerprint it shows.</summary>
    public async Task<string> WaitForHttpsAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                return await BerthClient.GetServerFingerprintAsync(BaseAddress);
            }
            catch (BerthConnectionException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }
}
