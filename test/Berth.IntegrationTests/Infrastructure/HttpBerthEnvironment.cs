using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Berth.IntegrationTests.Infrastructure;

/// <summary>
/// A Berth environment whose daemon also listens on a free loopback HTTP port (the web panel and token-authenticated
/// API). Its images are its own (busybox builds in a second), so images published through the panel never reach the
/// shared test cache; networks made through the panel are its own too (nft table, bridge names, subnets).
/// </summary>
public class HttpBerthEnvironment : NetworkBerthEnvironment
{
    public HttpBerthEnvironment()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/");

    public string AdminToken => File.ReadAllText(Path.Combine(StateDir, "admin.token")).Trim();

    protected override string[] DaemonArguments => [.. base.DaemonArguments, "--http", $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}", "--images-dir", Path.Combine(StateDir, "private-images")];
}
