using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Metrics;

/// <summary>A Berth on a loopback HTTP port whose metrics history takes a point every second.</summary>
public sealed class MetricsEnvironment : NetworkBerthEnvironment
{
    public MetricsEnvironment()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/");

    public string AdminToken => File.ReadAllText(Path.Combine(StateDir, "admin.token")).Trim();

    protected override string[] DaemonArguments => [.. base.DaemonArguments, "--http", $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}", "--metrics-interval", "1s"];
}
