
using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Networking;

/// <summary>Managed networks against the real kernel: bridges, static addresses written by LXC, one nft table.</summary>
public sealed class NetworkTests(NetworkBerthEnvironment env) : IClassFixture<NetworkBerthEnvironment>
{
    private async Task<(string Name, string Subnet)> CreateNetworkAsync(string hint, bool nat = false, bool isolated = false, string? ipv6 = null)
    {
        var name = env.NetworkName(hint);
        var subnet = env.NextSubnet();
        await env.SucceedAsync(env.Client.CreateNetworkAsync(new NetworkCreateRequest { Name = name, Subnet = subnet, Nat = nat, Isolated = isolated, Ipv6 = ipv6 }));
        return (name, subnet);
    }

    private Task<JobInfo> LaunchOnAsync(string container, string network, string? ip = null, bool start = true) =>
        env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = container, Image = "busybox", Network = network, Ip = ip, Start = start }));

    private static string Gateway(string subnet) => subnet.Replace(".0/24", ".1", StringComparison.Ordinal);

    private static string At(string subnet, int host) => subnet.Replace(".0/24", "." + host.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

    [Fact]
    public async Task Create_Nat_MakesBridgeWithGatewayForwardingAndMasquerade()
    {
        var (name, subnet) = await CreateNetworkAsync("nat", nat: true);

        var addr = await Host.RunCheckedAsync("ip", "-o", "-4", "addr", "show", "dev", name);
        Assert.Contains($"inet {Gateway(subnet)}/24", addr, StringComparison.Ordinal);
        Assert.Matches("<[^>]*\\bUP\\b", await Host.RunCheckedAsync("ip", "link", "show", name)); // administratively up
        Assert.Equal("1", (await File.ReadAllTextAsync("/proc/sys/net/ipv4/ip_forward")).Trim());
        var table = await Host.RunCheckedAsync("nft", "list", "table", "inet", env.NftTable);
        Assert.Contains($"ip saddr {subnet}", table, StringComparison.Ordinal);
        Assert.Contains("masquerade", table, StringComparison.Ordinal);

        var info = await env.Client.GetNetworkAsync(name);
        Assert.Equal(subnet, info.Subnet);
        Assert.Equal(Gateway(subnet), info.Gateway);
        Assert.True(info.Nat);
        Assert.Contains(await env.Client.ListNetworksAsync(), n => n.Name == name && n.Status == "ready");
    }

    [Fact]
    public async Task Launch_OnNetwork_GetsStaticAddressReachesGatewayAndPeerKeepsItAcrossRestart()
    {
        var (network, subnet) = await CreateNetworkAsync("addr");
        var first = env.Name("a1");
        var second = env.Name("a2");
        await LaunchOnAsync(first, network);
        await LaunchOnAsync(second, network, ip: At(subnet, 77));

        var one = await env.Client.GetContainerAsync(first);
        var two = await env.Client.GetContainerAsync(second);
        Assert.Equal(At(subnet, 2), one.Ipv4);
        Assert.Equal(At(subnet, 77), two.Ipv4);
        Assert.Contains(At(subnet, 2), one.Addresses);
        Assert.Contains(At(subnet, 77), two.Addresses);
        Assert.Equal(network, two.Network);

        var config = await env.Client.GetConfigAsync(second);
        Assert.Contains($"lxc.net.0.link = {network}", config.LxcConfig, StringComparison.Ordinal);
        Assert.Contains($"lxc.net.0.ipv4.address = {At(subnet, 77)}/24 {At(subnet, 255)}\n", config.LxcConfig, StringComparison.Ordinal);
        Assert.Contains($"lxc.net.0.ipv4.gateway = {Gateway(subnet)}", config.LxcConfig, StringComparison.Ordinal);
        Assert.Equal($"nameserver {Gateway(subnet)}\n", await File.ReadAllTextAsync(Path.Combine(env.LxcPath, second, "rootfs/etc/resolv.conf")));

        // The container's address has its subnet's broadcast (LXC alone would give 0.0.0.255).
        var addr = await env.ExecAsync(second, "ip", "-4", "addr", "show", "eth0");
        Assert.Contains($"inet {At(subnet, 77)}/24 brd {At(subnet, 255)} ", addr.Stdout, StringComparison.Ordinal);

        Assert.Equal(0, (await env.ExecAsync(first, "ping", "-c1", "-W2", Gateway(subnet))).ExitCode);
        Assert.Equal(0, (await env.ExecAsync(first, "ping", "-c1", "-W2", At(subnet, 77))).ExitCode);

        // The host reaches the container on its address too.
        Assert.Equal(0, (await Host.RunAsync("busybox", "ping", "-c1", "-W2", At(subnet, 77))).ExitCode);

        await env.ChangeStateAsync(second, "restart", force: true);
        var again = await env.Client.GetContainerAsync(second);
        Assert.Contains(At(subnet, 77), again.Addresses);
        Assert.Equal(0, (await env.ExecAsync(first, "ping", "-c1", "-W2", At(subnet, 77))).ExitCode);
    }

    [Fact]
    public async Task BadInput_IsRefusedAndChangesNothing()
    {
        var (network, subnet) = await CreateNetworkAsync("bad");
        var holder = env.Name("b1");
        await LaunchOnAsync(holder, network, ip: At(subnet, 10));

        var overlapping = env.NetworkName("ovl");
        var overlap = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.CreateNetworkAsync(
            new NetworkCreateRequest { Name = overlapping, Subnet = subnet.Replace(".0/24", ".128/25", StringComparison.Ordinal) }));
        Assert.Equal(409, overlap.Status);
        Assert.Contains("overlaps", overlap.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists($"/sys/class/net/{overlapping}"));

        var invalid = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.CreateNetworkAsync(
            new NetworkCreateRequest { Name = env.NetworkName("inv"), Subnet = "10.1.2.3/24" }));
        Assert.Equal(400, invalid.Status);
        Assert.Contains("10.1.2.0/24", invalid.Message, StringComparison.Ordinal);

        var outside = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.LaunchAsync(
            new LaunchRequest { Name = env.Name("b2"), Image = "busybox", Network = network, Ip = "192.0.2.5" }));
        Assert.Equal(400, outside.Status);

        var taken = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.LaunchAsync(
            new LaunchRequest { Name = env.Name("b3"), Image = "busybox", Network = network, Ip = At(subnet, 10) }));
        Assert.Equal(409, taken.Status);
        Assert.DoesNotContain(await env.Client.ListContainersAsync(), c => c.Name == env.Name("b3") || c.Name == env.Name("b2"));

        var missing = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.LaunchAsync(
            new LaunchRequest { Name = env.Name("b4"), Image = "busybox", Network = "nosuchnet" }));
        Assert.Equal(404, missing.Status);

        var inUse = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.DeleteNetworkAsync(network));
        Assert.Equal(409, inUse.Status);
        Assert.Contains(holder, inUse.Message, StringComparison.Ordinal);
        Assert.True(Directory.Exists($"/sys/class/net/{network}"));
        Assert.Equal("ready", (await env.Client.GetNetworkAsync(network)).Status);
    }

    [Fact]
    public async Task Delete_ReleasesAddressThenNetworkDeleteRemovesBridgeAndRules()
    {
        var (network, subnet) = await CreateNetworkAsync("del", nat: true);
        var container = env.Name("d1");
        await LaunchOnAsync(container, network);
        Assert.Single((await env.Client.GetNetworkAsync(network)).Leases);

        await env.SucceedAsync(env.Client.DeleteAsync(container, force: true));
        Assert.Empty((await env.Client.GetNetworkAsync(network)).Leases);

        // The released address is handed out again.
        var next = env.Name("d2");
        await LaunchOnAsync(next, network, start: false);
        Assert.Equal(At(subnet, 2), (await env.Client.GetContainerAsync(next)).Ipv4);
        await env.SucceedAsync(env.Client.DeleteAsync(next, force: true));

        await env.SucceedAsync(env.Client.DeleteNetworkAsync(network));
        Assert.False(Directory.Exists($"/sys/class/net/{network}"));
        var (code, table, _) = await Host.RunAsync("nft", "list", "table", "inet", env.NftTable);
        Assert.True(code != 0 || !table.Contains(subnet, StringComparison.Ordinal), table);
        var gone = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.GetNetworkAsync(network));
        Assert.Equal(404, gone.Status);
    }

    [Fact]
    public async Task ParallelLaunches_NeverShareAnAddress()
    {
        var (network, _) = await CreateNetworkAsync("par");
        var names = Enumerable.Range(0, 50).Select(i => env.Name($"p{i}")).ToList();
        await Task.WhenAll(names.Select(n => LaunchOnAsync(n, network, start: false)));

        var addresses = (await env.Client.ListContainersAsync()).Where(c => names.Contains(c.Name)).Select(c => c.Ipv4).ToList();
        Assert.Equal(50, addresses.Count);
        Assert.All(addresses, Assert.NotNull);
        Assert.Equal(50, addresses.Distinct().Count());
        Assert.Equal(50, (await env.Client.GetNetworkAsync(network)).Leases.Count);
        await Task.WhenAll(names.Select(n => env.SucceedAsync(env.Client.DeleteAsync(n, force: true))));
    }

    [Fact]
    public async Task Ipv6_ContainerGetsStaticAddressFromPrefixAndReachesGateway()
    {
        var prefix = $"fd{TestHost.RunId[..2]}:1{TestHost.RunId[2..5]}:6{env.NetPrefix[^1..]}::"; // no group starts with 0, so it reads back the same
        var (network, _) = await CreateNetworkAsync("v6", ipv6: prefix + "/64");
        var info = await env.Client.GetNetworkAsync(network);
        Assert.Equal(prefix + "1", info.Gateway6);
        Assert.Contains($"inet6 {prefix}1/64", await Host.RunCheckedAsync("ip", "-o", "-6", "addr", "show", "dev", network), StringComparison.Ordinal);

        var container = env.Name("v6a");
        await LaunchOnAsync(container, network);
        var described = await env.Client.GetContainerAsync(container);
        Assert.Equal(prefix + "2", described.Ipv6);
        Assert.Contains($"lxc.net.0.ipv6.address = {prefix}2/64", (await env.Client.GetConfigAsync(container)).LxcConfig, StringComparison.Ordinal);
        Assert.Contains(prefix + "2", described.Addresses);

        // Duplicate address detection may hold the new address back for a moment.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        int code;
        while ((code = (await env.ExecAsync(container, "ping", "-6", "-c1", "-W1", prefix + "1")).ExitCode) != 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }

        Assert.Equal(0, code);
    }

    [Fact]
    public async Task Reconciler_RecreatesDeletedBridgeAndTable()
    {
        var (network, subnet) = await CreateNetworkAsync("rec", nat: true);
        var container = env.Name("r1");
        await LaunchOnAsync(container, network);

        await Host.RunCheckedAsync("ip", "link", "delete", network);
        await Host.RunCheckedAsync("nft", "delete", "table", "inet", env.NftTable);

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline
            && (!Directory.Exists($"/sys/class/net/{network}") || (await Host.RunAsync("nft", "list", "table", "inet", env.NftTable)).ExitCode != 0
                || (await env.ExecAsync(container, "ping", "-c1", "-W1", Gateway(subnet))).ExitCode != 0))
        {
            await Task.Delay(250);
        }

        Assert.Contains($"inet {Gateway(subnet)}/24", await Host.RunCheckedAsync("ip", "-o", "-4", "addr", "show", "dev", network), StringComparison.Ordinal);
        Assert.Contains("masquerade", await Host.RunCheckedAsync("nft", "list", "table", "inet", env.NftTable), StringComparison.Ordinal);
        Assert.Equal(0, (await env.ExecAsync(container, "ping", "-c1", "-W2", Gateway(subnet))).ExitCode);

        // The name server answers on the recreated bridge too.
        var address = (await env.Client.GetContainerAsync(container)).Ipv4!;
        var answered = "";
        for (var i = 0; i < 40 && !answered.Contains($"Address: {address}", StringComparison.Ordinal); i++)
        {
            answered = (await env.ExecAsync(container, "nslookup", container, Gateway(subnet))).Stdout;
            await Task.Delay(250);
        }

        Assert.Contains($"Address: {address}", answered, StringComparison.Ordinal);

        // As after a host reboot: everything gone while the daemon is down; its start puts it back.
        await env.Daemon.StopAsync();
        await Host.RunCheckedAsync("ip", "link", "delete", network);
        await Host.RunCheckedAsync("nft", "delete", "table", "inet", env.NftTable);
        await env.StartDaemonAsync();
        deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && (!Directory.Exists($"/sys/class/net/{network}") || (await Host.RunAsync("nft", "list", "table", "inet", env.NftTable)).ExitCode != 0))
        {
            await Task.Delay(250);
        }

        Assert.Contains($"inet {Gateway(subnet)}/24", await Host.RunCheckedAsync("ip", "-o", "-4", "addr", "show", "dev", network), StringComparison.Ordinal);
        Assert.Contains("masquerade", await Host.RunCheckedAsync("nft", "list", "table", "inet", env.NftTable), StringComparison.Ordinal);
    }
}
