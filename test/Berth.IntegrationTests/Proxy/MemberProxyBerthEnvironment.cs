using System.Globalization;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Proxy;

/// <summary>
/// An HTTP environment (members reach the API with their tokens) whose daemon also runs the proxy on two free
/// loopback ports and lets members route the names below <see cref="MemberSuffix"/>; disposing stops its nginx.
/// </summary>
public sealed class MemberProxyBerthEnvironment : HttpBerthEnvironment
{
    public int ProxyHttpPort { get; } = ProxyBerthEnvironment.FreePort();

    public int ProxyHttpsPort { get; } = ProxyBerthEnvironment.FreePort();

    /// <summary>Members may route every name below this one (berthd's --member-domains *.SUFFIX).</summary>
    public string MemberSuffix => $"members-{Prefix}.test";

    public string ProxyDir => Path.Combine(StateDir, "proxy");

    protected override string[] DaemonArguments =>
    [
        .. base.DaemonArguments,
        "--proxy-http", $"127.0.0.1:{ProxyHttpPort.ToString(CultureInfo.InvariantCulture)}",
        "--proxy-https", $"127.0.0.1:{ProxyHttpsPort.ToString(CultureInfo.InvariantCulture)}",
        "--member-domains", $"*.{MemberSuffix}",
    ];

    /// <summary>GET through the proxy with the Host header <paramref name="host"/>.</summary>
    public async Task<(System.Net.HttpStatusCode Status, string Body)> GetThroughProxyAsync(string host, string path = "/")
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{ProxyHttpPort.ToString(CultureInfo.InvariantCulture)}{path}");
        request.Headers.Host = host;
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
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

            await ProxyBerthEnvironment.KillNginxAsync(ProxyDir);
        }
        finally
        {
            await base.DisposeAsync();
        }
    }
}
