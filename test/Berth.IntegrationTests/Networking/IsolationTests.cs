using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Networking;

/// <summary>Isolation with real traffic between real containers: isolated networks, separate networks, the host's own services.</summary>
public sealed class IsolationTests(NetworkBerthEnvironment env) : IClassFixture<NetworkBerthEnvironment>
{
    private async Task<(string Network, string Gateway)> CreateAsync(string hint, bool isolated, bool @internal = false)
    {
        var name = env.NetworkName(hint);
        await env.SucceedAsync(env.Client.CreateNetworkAsync(new NetworkCreateRequest { Name = name, Subnet = env.NextSubnet(), Isolated = isolated, Internal = @internal }));
        return (name, (await env.Client.GetNetworkAsync(name)).Gateway);
    }

    private async Task<string> LaunchAsync(string hint, string network)
    {
        var name = env.Name(hint);
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = name, Image = "busybox", Network = network }));
        return (await env.Client.GetContainerAsync(name)).Ipv4!;
    }

    private async Task<bool> PingsAsync(string container, string address) =>
        (await env.ExecAsync(container, "ping", "-c1", "-W2", address)).ExitCode == 0;

    [Fact]
    public async Task IsolatedNetwork_ContainersReachGatewayButNotEachOther()
    {
        var (network, gateway) = await CreateAsync("iso", isolated: true);
        await LaunchAsync("i1", network);
        var second = await LaunchAsync("i2", network);

        Assert.True(await PingsAsync(env.Name("i1"), gateway));
        Assert.True(await PingsAsync(env.Name("i2"), gateway));
        Assert.False(await PingsAsync(env.Name("i1"), second));
        Assert.Contains(" drop", await Host.RunCheckedAsync("nft", "list", "table", "bridge", env.NftTable), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InternalNetwork_ReachesGatewayAndPeersButNothingBeyondTheHost()
    {
        await using var outside = await ClientNamespace.CreateAsync(env, "in");
        var (closed, gateway) = await CreateAsync("int", isolated: false, @internal: true);
        var (routed, _) = await CreateAsync("rtd", isolated: false);
        await LaunchAsync("n1", closed);
        var peer = await LaunchAsync("n2", closed);
        await LaunchAsync("r1", routed);

        // A routed network reaches the address beyond the host; an internal one does not, by ICMP or TCP.
        Assert.True(await PingsAsync(env.Name("r1"), outside.ClientAddress));
        Assert.False(await PingsAsync(env.Name("n1"), outside.ClientAddress));
        var www = Directory.CreateTempSubdirectory("berth-www-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(www.FullName, "index.html"), "page-beyond-the-host\n");
            var port = RandomNumberGenerator.GetInt32(20000, 30000).ToString(CultureInfo.InvariantCulture);

            // A web server in the outside namespace that stops by itself (the namespace's removal would not stop it).
            Assert.Equal(0, (await outside.RunAsync("sh", "-c", $"timeout 60 busybox httpd -f -p {port} -h {www.FullName} >/dev/null 2>&1 &")).ExitCode);
            var url = $"http://{outside.ClientAddress}:{port}/";
            var deadline = DateTime.UtcNow.AddSeconds(10);

            // (busybox 1.35's wget crashes given -T.)
            (int ExitCode, string Stdout, string Stderr) viaRouted;
            while ((viaRouted = await env.ExecAsync(env.Name("r1"), "timeout", "5", "wget", "-q", "-O", "-", url)).ExitCode != 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }

            Assert.True(viaRouted.Stdout.Contains("page-beyond-the-host", StringComparison.Ordinal), viaRouted.Stderr);
            var viaInternal = await env.ExecAsync(env.Name("n1"), "timeout", "5", "wget", "-q", "-O", "-", url);
            Assert.NotEqual(0, viaInternal.ExitCode);
            Assert.DoesNotContain("page-beyond-the-host", viaInternal.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            www.Delete(recursive: true);
        }

        // Within the network: the gateway, its DNS and the other container.
        Assert.True(await PingsAsync(env.Name("n1"), gateway));
        Assert.True(await PingsAsync(env.Name("n1"), peer));
        var (_, lookup, _) = await env.ExecAsync(env.Name("n1"), "nslookup", env.Name("n2"), gateway);
        Assert.Contains($"Address: {peer}", lookup, StringComparison.Ordinal);

        Assert.Equal("internal", (await env.Client.GetNetworkAsync(closed)).Mode);
        Assert.Equal("routed", (await env.Client.GetNetworkAsync(routed)).Mode);
        var both = await Assert.ThrowsAsync<Berth.Client.BerthApiException>(() => env.Client.CreateNetworkAsync(new NetworkCreateRequest { Name = env.NetworkName("bad"), Subnet = env.NextSubnet(), Internal = true, Nat = true }));
        Assert.Equal(400, both.Status);
        Assert.DoesNotContain(await env.Client.ListNetworksAsync(), n => n.Name == env.NetworkName("bad"));
    }

    [Fact]
    public async Task OpenNetwork_ContainersReachEachOther_SeparateNetworksNever()
    {
        var (first, _) = await CreateAsync("opa", isolated: false);
        var (second, _) = await CreateAsync("opb", isolated: false);
        await LaunchAsync("o1", first);
        var peer = await LaunchAsync("o2", first);
        var stranger = await LaunchAsync("o3", second);

        Assert.True(await PingsAsync(env.Name("o1"), peer));
        Assert.False(await PingsAsync(env.Name("o1"), stranger));
        Assert.False(await PingsAsync(env.Name("o3"), peer));
    }

    [Fact]
    public async Task HostServices_AreClosedToContainers()
    {
        var (network, gateway) = await CreateAsync("hst", isolated: false);
        await LaunchAsync("h1", network);

        // A service of the host listening on the gateway address: the host reaches it, the container must not.
        using var service = new TcpListener(IPAddress.Parse(gateway), 0);
        service.Start();
        var port = ((IPEndPoint)service.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
        var accepted = service.AcceptTcpClientAsync();

        var (fromContainer, _, _) = await env.ExecAsync(env.Name("h1"), "sh", "-c", $"echo hi | nc -w 2 {gateway} {port}");
        Assert.NotEqual(0, fromContainer);
        Assert.False(accepted.IsCompleted);

        using var fromHost = new TcpClient();
        await fromHost.ConnectAsync(IPAddress.Parse(gateway), int.Parse(port, CultureInfo.InvariantCulture));
        using var _ = await accepted;
    }
}
