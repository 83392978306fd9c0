using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Networking;

/// <summary>A container on two networks: one interface each, the default route through the first, names on both.</summary>
public sealed class MultiNetworkTests(NetworkBerthEnvironment env) : IClassFixture<NetworkBerthEnvironment>
{
    private Task<CliResult> Berth(params string[] args) => CliRunner.RunAsync(env.StateDir, args);

    [Fact]
    public async Task Launch_TwoNetworks_TwoInterfacesDefaultRouteViaTheFirstNamesOnBoth()
    {
        var prefix = $"fd{TestHost.RunId[..2]}:1{TestHost.RunId[2..5]}:9{env.NetPrefix[^1..]}::";
        var pub = env.NetworkName("pub");
        var priv = env.NetworkName("prv");
        await env.SucceedAsync(env.Client.CreateNetworkAsync(new NetworkCreateRequest { Name = pub, Subnet = env.NextSubnet(), Ipv6 = prefix + "/64" }));
        await env.SucceedAsync(env.Client.CreateNetworkAsync(new NetworkCreateRequest { Name = priv, Subnet = env.NextSubnet() }));
        var pubInfo = await env.Client.GetNetworkAsync(pub);
        var privInfo = await env.Client.GetNetworkAsync(priv);
        var privAddress = privInfo.Gateway[..privInfo.Gateway.LastIndexOf('.')] + ".77";
        var both = env.Name("two");
        var onPub = env.Name("pb");
        var onPriv = env.Name("pv");

        var pubAddress = pubInfo.Gateway[..pubInfo.Gateway.LastIndexOf('.')] + ".66";
        var launched = await Berth("launch", "busybox", both, "--network", pub, "--network", priv, "--ip", pubAddress, "--ip", privAddress);
        Assert.True(launched.ExitCode == 0, launched.Stderr);
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = onPub, Image = "busybox", Network = pub }));
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = onPriv, Image = "busybox", Networks = [new NetworkAttachment { Name = priv }] }));

        var info = await env.Client.GetContainerAsync(both);
        Assert.Equal(2, info.Networks.Count);
        var first = info.Networks[0];
        var second = info.Networks[1];
        Assert.Equal((0, 1), (first.Index, second.Index));
        Assert.Equal(info.Network, first.Network);

        var addr0 = await env.ExecAsync(both, "ip", "-4", "addr", "show", "eth0");
        var addr1 = await env.ExecAsync(both, "ip", "-4", "addr", "show", "eth1");
        Assert.Contains($"inet {first.Ipv4}/24", addr0.Stdout, StringComparison.Ordinal);
        Assert.Contains($"inet {second.Ipv4}/24", addr1.Stdout, StringComparison.Ordinal);
        Assert.Equal((pub, pubAddress, priv, privAddress), (first.Network, first.Ipv4, second.Network, second.Ipv4));
        Assert.NotNull(first.Ipv6);
        Assert.Contains($"inet6 {first.Ipv6}/64", (await env.ExecAsync(both, "ip", "-6", "addr", "show", "eth0")).Stdout, StringComparison.Ordinal);

        // One default route per family, through eth0's gateway.
        var route = (await env.ExecAsync(both, "ip", "-4", "route", "show", "default")).Stdout.Trim();
        Assert.Equal($"default via {pubInfo.Gateway} dev eth0", route.Split('\n').Single().Trim());
        var route6 = (await env.ExecAsync(both, "ip", "-6", "route", "show", "default")).Stdout.Trim();
        Assert.Single(route6.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("dev eth0", route6, StringComparison.Ordinal);

        Assert.Equal(0, (await env.ExecAsync(both, "ping", "-c1", "-W2", pubInfo.Gateway)).ExitCode);
        Assert.Equal(0, (await env.ExecAsync(both, "ping", "-c1", "-W2", privInfo.Gateway)).ExitCode);

        // Each network's dnsmasq knows the container by its address there.
        var privLeased = privAddress;
        Assert.Contains($"Address: {pubAddress}", (await env.ExecAsync(onPub, "nslookup", both, pubInfo.Gateway)).Stdout, StringComparison.Ordinal);
        Assert.Contains($"Address: {privLeased}", (await env.ExecAsync(onPriv, "nslookup", both, privInfo.Gateway)).Stdout, StringComparison.Ordinal);
        Assert.Equal(0, (await env.ExecAsync(onPub, "ping", "-c1", "-W2", both)).ExitCode);
        Assert.Equal(0, (await env.ExecAsync(onPriv, "ping", "-c1", "-W2", both)).ExitCode);

        var shown = await Berth("info", both);
        Assert.Contains("eth1 ", shown.Stdout, StringComparison.Ordinal);

        await env.SucceedAsync(env.Client.DeleteAsync(both, force: true));
        Assert.DoesNotContain(both, (await env.Client.GetNetworkAsync(pub)).Leases.Keys);
        Assert.DoesNotContain(both, (await env.Client.GetNetworkAsync(priv)).Leases.Keys);
        Assert.NotEqual(0, (await env.ExecAsync(onPriv, "ping", "-c1", "-W1", privLeased)).ExitCode);

        await env.SucceedAsync(env.Client.DeleteAsync(onPub, force: true));
        await env.SucceedAsync(env.Client.DeleteAsync(onPriv, force: true));
        await env.SucceedAsync(env.Client.DeleteNetworkAsync(pub));
        await env.SucceedAsync(env.Client.DeleteNetworkAsync(priv));
    }

    [Fact]
    public async Task Launch_MoreIpsThanNetworks_RefusedAndNothingCreated()
    {
        var net = env.NetworkName("one");
        await env.SucceedAsync(env.Client.CreateNetworkAsync(new NetworkCreateRequest { Name = net, Subnet = env.NextSubnet() }));
        var name = env.Name("ips");

        var result = await Berth("launch", "busybox", name, "--network", net, "--ip", "10.0.0.5", "--ip", "10.0.0.6");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--ip", result.Stderr, StringComparison.Ordinal);
        Assert.Empty((await env.Client.GetNetworkAsync(net)).Leases);
        Assert.DoesNotContain(name, (await env.Client.ListContainersAsync()).Select(c => c.Name));
        await env.SucceedAsync(env.Client.DeleteNetworkAsync(net));
    }

    [Fact]
    public async Task Launch_BadNetworksOrSecondAddressTaken_RefusedAndNoLeaseLeft()
    {
        var a = env.NetworkName("ma");
        var b = env.NetworkName("mb");
        await env.SucceedAsync(env.Client.CreateNetworkAsync(new NetworkCreateRequest { Name = a, Subnet = env.NextSubnet() }));
        await env.SucceedAsync(env.Client.CreateNetworkAsync(new NetworkCreateRequest { Name = b, Subnet = env.NextSubnet() }));
        var bGateway = (await env.Client.GetNetworkAsync(b)).Gateway;
        var holder = env.Name("hold");
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = holder, Image = "busybox", Networks = [new NetworkAttachment { Name = b }], Start = false }));
        var heldAddress = (await env.Client.GetContainerAsync(holder)).Ipv4!;
        Assert.StartsWith(bGateway[..bGateway.LastIndexOf('.')], heldAddress, StringComparison.Ordinal);
        var name = env.Name("bad");

        var twice = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.LaunchAsync(new LaunchRequest
        {
            Name = name, Image = "busybox", Networks = [new NetworkAttachment { Name = a }, new NetworkAttachment { Name = a }],
        }));
        var mixed = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.LaunchAsync(new LaunchRequest
        {
            Name = name, Image = "busybox", Network = a, Networks = [new NetworkAttachment { Name = b }],
        }));
        var taken = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.LaunchAsync(new LaunchRequest
        {
            Name = name, Image = "busybox", Networks = [new NetworkAttachment { Name = a }, new NetworkAttachment { Name = b, Ip = heldAddress }],
        }));

        Assert.Equal((400, 400, 409), (twice.Status, mixed.Status, taken.Status));
        Assert.Empty((await env.Client.GetNetworkAsync(a)).Leases);
        Assert.Equal([holder], (await env.Client.GetNetworkAsync(b)).Leases.Keys);
        Assert.DoesNotContain(name, (await env.Client.ListContainersAsync()).Select(c => c.Name));

        // config set network= moves the first interface only, never onto a network another interface is on.
        var two = env.Name("mv");
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = two, Image = "busybox", Networks = [new NetworkAttachment { Name = a }, new NetworkAttachment { Name = b }], Start = false }));
        var onto = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.UpdateConfigAsync(two, new ConfigUpdateRequest { Set = new Dictionary<string, string> { ["network"] = b } }));
        Assert.Equal(409, onto.Status);
        Assert.Equal([a, b], (await env.Client.GetContainerAsync(two)).Networks.Select(n => n.Network));

        await env.SucceedAsync(env.Client.DeleteAsync(two, force: true));
        await env.SucceedAsync(env.Client.DeleteAsync(holder, force: true));
        await env.SucceedAsync(env.Client.DeleteNetworkAsync(a));
        await env.SucceedAsync(env.Client.DeleteNetworkAsync(b));
    }
}
