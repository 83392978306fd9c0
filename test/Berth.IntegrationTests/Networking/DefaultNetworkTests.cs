using System.Net;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Networking;

/// <summary>With --default-network the daemon makes that network itself (NAT), and containers launched without --network join it.</summary>
public sealed class DefaultNetworkTests(NetworkBerthEnvironment env) : IClassFixture<NetworkBerthEnvironment>
{
    [Fact]
    public async Task DefaultNetwork_IsCreatedAtStart_AndContainersWithoutNetworkJoinIt()
    {
        var network = env.NetworkName("dflt");
        var subnet = env.NextSubnet();
        await env.Daemon.StopAsync();
        await env.StartDaemonAsync("--default-network", subnet, "--default-network-name", network);

        NetworkInfo? info = null;
        for (var i = 0; i < 100 && info?.Status != "ready"; i++)
        {
            info = (await env.Client.ListNetworksAsync()).FirstOrDefault(n => n.Name == network);
            await Task.Delay(200);
        }

        Assert.NotNull(info);
        Assert.Equal("ready", info.Status);
        Assert.Equal(subnet, info.Subnet);
        Assert.True(info.Nat);

        var joined = env.Name("dfltjoin");
        await env.LaunchAsync(joined);
        var address = Assert.Single((await env.Client.GetContainerAsync(joined)).Addresses);
        var prefix = subnet[..subnet.LastIndexOf('.')];
        Assert.StartsWith(prefix + ".", address, StringComparison.Ordinal);
        Assert.Equal(0, (await env.ExecAsync(joined, "ping", "-c", "1", "-W", "2", info.Gateway)).ExitCode);

        var alone = env.Name("dfltnone");
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = alone, Image = "busybox", Network = "none" }));
        Assert.Empty((await env.Client.GetContainerAsync(alone)).Addresses);
        Assert.True(IPAddress.TryParse(address, out _));
    }
}
