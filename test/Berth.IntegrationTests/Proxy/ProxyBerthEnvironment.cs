using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Proxy;

/// <summary>
/// A networking environment whose daemon runs the proxy on two free high loopback ports; disposing stops its nginx
/// (master and any workers left behind), found by the pid file and error log under this state directory only.
/// </summary>
public class ProxyBerthEnvironment : NetworkBerthEnvironment
{
    public ProxyBerthEnvironment()
    {
        HttpPort = FreePort();
        HttpsPort = FreePort();
    }

    public int HttpPort { get; }

    public int HttpsPort { get; }

    public string ProxyDir => Path.Combine(StateDir, "proxy");

    /// <summary>The address nginx listens on (bracketed when IPv6); loopback unless a test needs more.</summary>
    protected virtual string ListenAddress => "127.0.0.1";

    protected override string[] DaemonArguments =>
        [.. base.DaemonArguments, "--proxy-http", $"{ListenAddress}:{HttpPort.ToString(CultureInfo.InvariantCulture)}", "--proxy-https", $"{ListenAddress}:{HttpsPort.ToString(CultureInfo.InvariantCulture)}"];

    /// <summary>The master's pid from the pid file, when that process is alive.</summary>
    public int? NginxPid() => NginxPid(ProxyDir);

    /// <summary>Every nginx process (master or worker) that holds this environment's error log open.</summary>
    public IReadOnlyList<int> NginxProcesses() => NginxProcesses(ProxyDir);

    /// <summary>Kills the nginx of a state directory's proxy (master and any workers left behind), found by its pid file and error log only.</summary>
    internal static async Task KillNginxAsync(string proxyDir)
    {
        foreach (var pid in NginxPid(proxyDir) is { } master ? [master, .. NginxProcesses(proxyDir)] : NginxProcesses(proxyDir))
        {
            await Host.RunAsync("kill", "-KILL", pid.ToString(CultureInfo.InvariantCulture));
        }
    }

    internal static int? NginxPid(string proxyDir)
    {
        var file = Path.Combine(proxyDir, "nginx.pid");
        return File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), CultureInfo.InvariantCulture, out var pid) && Directory.Exists($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}")
            && !File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat").Contains(") Z ", StringComparison.Ordinal)
            ? pid
            : null;
    }

    internal static IReadOnlyList<int> NginxProcesses(string proxyDir)
    {
        var log = Path.Combine(proxyDir, "logs", "error.log");
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(dir, "comm")).Trim() == "nginx" && Directory.EnumerateFileSystemEntries(Path.Combine(dir, "fd")).Any(fd => new FileInfo(fd).LinkTarget == log))
                {
                    found.Add(pid);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    /// <summary>A busybox container on a network of its own serving <paramref name="page"/> at / (and under /www/SUBDIR when given).</summary>
    public async Task<string> LaunchWebServerAsync(string hint, string page, string? subdir = null, string? network = null)
    {
        if (network is null)
        {
            network = NetworkName("p" + hint);
            try
            {
                await SucceedAsync(Client.CreateNetworkAsync(new NetworkCreateRequest { Name = network, Subnet = NextSubnet(), Nat = true }));
            }
            catch (Berth.Client.BerthApiException ex)
            {
                throw new InvalidOperationException($"network {network}: {ex.Message}\n--- berthd log ---\n{Daemon.Log}", ex);
            }
        }

        var name = Name(hint);
        await SucceedAsync(Client.LaunchAsync(new LaunchRequest { Name = name, Image = "busybox", Network = network }));
        var dir = subdir is null ? "/www" : $"/www/{subdir}";
        var (code, _, stderr) = await ExecAsync(name, "sh", "-c", $"mkdir -p {dir} && echo {page} > {dir}/index.html && echo {page} > /www/index.html && httpd -p 80 -h /www");
        Assert.True(code == 0, stderr);
        return name;
    }

    /// <summary>GET http://127.0.0.1:HTTP_PORT{path} with the Host header <paramref name="host"/>.</summary>
    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string host, string path = "/")
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{HttpPort.ToString(CultureInfo.InvariantCulture)}{path}");
        request.Headers.Host = host;
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A route's access log once it holds <paramref name="text"/>: nginx writes it per 64 KB or per second, so lines come up to a second late.</summary>
    public static async Task<string> AccessLogWithAsync(string file, string text)
    {
        var log = "";
        for (var i = 0; i < 300 && !log.Contains(text, StringComparison.Ordinal); i++)
        {
            await Task.Delay(100);
            log = File.Exists(file) ? await File.ReadAllTextAsync(file) : "";
        }

        return log;
    }

    public override async Task DisposeAsync()
    {
        try
        {
            // The daemon first, so its reconciler cannot start nginx again behind the kill.
            if (Daemon is not null)
            {
                await Daemon.DisposeAsync();
            }

            await KillNginxAsync(ProxyDir);
        }
        finally
        {
            await base.DisposeAsync();
        }
    }

    internal static int FreePort()
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
