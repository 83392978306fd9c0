using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Networking;

/// <summary>Isolation with real traffic between real containers: isolated networks, separate networks, the host's own services.</summary>
public sealed class IsolationTests(NetworkBerthEnvironment env) : IClassFixture<NetworkBerthEnvironment>
{
    private async Task<(string Network, string Gateway)> CreateAsync(string hint, bool isolated)
    {
        var name = env.NetworkName(hint);
        await env.SucceedAsync(env.Client.CreateNetworkAsync(new NetworkCreateRequest { Name = name, Subnet = env.NextSubnet(), Isolated = isolated }));
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
