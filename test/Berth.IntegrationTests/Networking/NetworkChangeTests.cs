using System.Globalization;
using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Networking;

/// <summary>Choosing a copy's or an import's network and address, and moving a stopped container to another network.</summary>
public sealed class NetworkChangeTests(NetworkBerthEnvironment env) : IClassFixture<NetworkBerthEnvironment>
{
    private static string At(string subnet, int host) => subnet.Replace(".0/24", "." + host.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    private async Task<(string Name, string Subnet)> CreateNetworkAsync(string hint)
    {
        var name = env.NetworkName(hint);
        var subnet = env.NextSubnet();
        await env.SucceedAsync(env.Client.CreateNetworkAsync(new NetworkCreateRequest { Name = name, Subnet = subnet }));
        return (name, subnet);
    }

    private async Task<string> LaunchAsync(string hint, string network, bool start = true)
    {
        var name = env.Name(hint);
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = name, Image = "busybox", Network = network, Start = start }));
        return name;
    }

    [Fact]
    public async Task CopyAndImport_TakeTheNetworkAndAddressAskedFor()
    {
        var (first, _) = await CreateNetworkAsync("cpa");
        var (second, subnet) = await CreateNetworkAsync("cpb");
        var source = await LaunchAsync("cps", first, start: false);

        var copy = env.Name("cpc");
        await env.SucceedAsync(env.Client.CopyAsync(source, new CopyRequest { Target = copy, Network = second, Ip = At(subnet, 77) }));
        var copied = await env.Client.GetContainerAsync(copy);
        Assert.Equal(second, copied.Network);
        Assert.Equal(At(subnet, 77), copied.Ipv4);
        Assert.Contains($"lxc.net.0.link = {second}\n", (await env.Client.GetConfigAsync(copy)).LxcConfig, StringComparison.Ordinal);

        var detached = env.Name("cpn");
        await env.SucceedAsync(env.Client.CopyAsync(source, new CopyRequest { Target = detached, Network = "none" }));
        Assert.Null((await env.Client.GetContainerAsync(detached)).Network);

        var file = Path.Combine(env.StateDir, "move.tar.zst");
        await env.SucceedAsync(env.Client.ExportAsync(source, new ExportRequest { File = file }));
        var imported = env.Name("cpi");
        await env.SucceedAsync(env.Client.ImportAsync(new ImportRequest { File = file, Name = imported, Network = second, Ip = At(subnet, 88) }));
        var restored = await env.Client.GetContainerAsync(imported);
        Assert.Equal(second, restored.Network);
        Assert.Equal(At(subnet, 88), restored.Ipv4);

        // An address outside the network, or one already taken: refused, and no container is left behind.
        var outside = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.CopyAsync(source, new CopyRequest { Target = env.Name("cpx"), Network = second, Ip = "192.0.2.9" }));
        Assert.Equal(400, outside.Status);
        var taken = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.ImportAsync(new ImportRequest { File = file, Name = env.Name("cpy"), Network = second, Ip = At(subnet, 77) }));
        Assert.Equal(409, taken.Status);
        var names = (await env.Client.ListContainersAsync()).Select(c => c.Name).ToList();
        Assert.DoesNotContain(env.Name("cpx"), names);
        Assert.DoesNotContain(env.Name("cpy"), names);
        Assert.Equal([copy, imported], (await env.Client.GetNetworkAsync(second)).Leases.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ConfigSetNetwork_MovesAStoppedContainerWithItsForwardAndNames()
    {
        var (first, firstSubnet) = await CreateNetworkAsync("mva");
        var (second, subnet) = await CreateNetworkAsync("mvb");
        var name = await LaunchAsync("mvc", first);
        var peer = await LaunchAsync("mvp", second);
        var port = System.Security.Cryptography.RandomNumberGenerator.GetInt32(20000, 30000);
        await env.SucceedAsync(env.Client.AddForwardAsync(name, new ForwardRequest { Ports = $"{port}:80/tcp" }));

        // Running: refused, nothing changes.
        var running = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.UpdateConfigAsync(name, new ConfigUpdateRequest { Set = new Dictionary<string, string> { ["network"] = second } }));
        Assert.Equal(409, running.Status);
        Assert.Equal(first, (await env.Client.GetContainerAsync(name)).Network);

        await env.ChangeStateAsync(name, "stop", force: true);
        await env.SucceedAsync(env.Client.UpdateConfigAsync(name, new ConfigUpdateRequest { Set = new Dictionary<string, string> { ["network"] = second, ["ip"] = At(subnet, 50) } }));

        var moved = await env.Client.GetContainerAsync(name);
        Assert.Equal(second, moved.Network);
        Assert.Equal(At(subnet, 50), moved.Ipv4);
        Assert.DoesNotContain(name, (await env.Client.GetNetworkAsync(first)).Leases.Keys);
        Assert.Equal(At(subnet, 50), Assert.Single(await env.Client.ListForwardsAsync(name)).TargetAddress);
        Assert.Contains($"dnat ip to {At(subnet, 50)}:80", await Host.RunCheckedAsync("nft", "list", "table", "inet", env.NftTable), StringComparison.Ordinal);
        Assert.Equal($"nameserver {At(subnet, 1)}\n", await File.ReadAllTextAsync(Path.Combine(env.LxcPath, name, "rootfs/etc/resolv.conf")));

        await env.ChangeStateAsync(name, "start");
        Assert.Contains($"inet {At(subnet, 50)}/24", (await env.ExecAsync(name, "ip", "-4", "addr", "show", "eth0")).Stdout, StringComparison.Ordinal);
        var (_, lookup, _) = await env.ExecAsync(peer, "nslookup", name, At(subnet, 1));
        Assert.Contains($"Address: {At(subnet, 50)}", lookup, StringComparison.Ordinal);
        var (_, gone, _) = await env.ExecAsync(name, "nslookup", name, At(firstSubnet, 1));
        Assert.DoesNotContain($"Address: {At(firstSubnet, 2)}", gone, StringComparison.Ordinal);

        // Moving onto an address another container holds fails in the job and puts everything back.
        await env.ChangeStateAsync(name, "stop", force: true);
        var peerAddress = (await env.Client.GetContainerAsync(peer)).Ipv4!;
        var config = (await env.Client.GetConfigAsync(name)).LxcConfig;
        var failed = await env.WaitAsync(env.Client.UpdateConfigAsync(name, new ConfigUpdateRequest { Set = new Dictionary<string, string> { ["network"] = first, ["ip"] = At(firstSubnet, 9) } }));
        Assert.Equal(JobStatus.Succeeded, failed.Status);
        var clash = await env.WaitAsync(env.Client.UpdateConfigAsync(name, new ConfigUpdateRequest { Set = new Dictionary<string, string> { ["network"] = second, ["ip"] = peerAddress } }));
        Assert.Equal(JobStatus.Failed, clash.Status);
        var after = await env.Client.GetContainerAsync(name);
        Assert.Equal(first, after.Network);
        Assert.Equal(At(firstSubnet, 9), after.Ipv4);
        Assert.Contains($"lxc.net.0.link = {first}\n", (await env.Client.GetConfigAsync(name)).LxcConfig, StringComparison.Ordinal);
        Assert.NotEqual(config, (await env.Client.GetConfigAsync(name)).LxcConfig);

        // To no network at all: not while forwards need an address; without them, it is detached.
        var forwarded = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.UpdateConfigAsync(name, new ConfigUpdateRequest { Set = new Dictionary<string, string> { ["network"] = "none" } }));
        Assert.Equal(409, forwarded.Status);
        await env.SucceedAsync(env.Client.RemoveForwardAsync(name, "tcp", port));
        await env.SucceedAsync(env.Client.UpdateConfigAsync(name, new ConfigUpdateRequest { Set = new Dictionary<string, string> { ["network"] = "none" } }));
        Assert.Null((await env.Client.GetContainerAsync(name)).Network);
        Assert.Contains("lxc.net.0.type = empty\n", (await env.Client.GetConfigAsync(name)).LxcConfig, StringComparison.Ordinal);
        Assert.DoesNotContain(name, (await env.Client.GetNetworkAsync(first)).Leases.Keys);
    }

    [Fact]
    public async Task ConfigSetNetworkNone_TwoInterfaces_TheSecondBecomesEth0AndCarriesTheDefaultRoute()
    {
        var (first, firstSubnet) = await CreateNetworkAsync("npa");
        var (second, secondSubnet) = await CreateNetworkAsync("npb");
        var name = env.Name("npc");
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = name, Image = "busybox", Networks = [new NetworkAttachment { Name = first }, new NetworkAttachment { Name = second }], Start = false }));
        var kept = (await env.Client.GetContainerAsync(name)).Networks[1];

        await env.SucceedAsync(env.Client.UpdateConfigAsync(name, new ConfigUpdateRequest { Set = new Dictionary<string, string> { ["network"] = "none" } }));

        var info = await env.Client.GetContainerAsync(name);
        var only = Assert.Single(info.Networks);
        Assert.Equal((0, second, kept.Ipv4), (only.Index, only.Network, only.Ipv4));
        Assert.Equal(second, info.Network);
        Assert.DoesNotContain(name, (await env.Client.GetNetworkAsync(first)).Leases.Keys);
        Assert.Equal($"nameserver {At(secondSubnet, 1)}\n", await File.ReadAllTextAsync(Path.Combine(env.LxcPath, name, "rootfs/etc/resolv.conf")));

        await env.ChangeStateAsync(name, "start");
        Assert.Contains($"inet {kept.Ipv4}/24", (await env.ExecAsync(name, "ip", "-4", "addr", "show", "eth0")).Stdout, StringComparison.Ordinal);
        Assert.Equal($"default via {At(secondSubnet, 1)} dev eth0", (await env.ExecAsync(name, "ip", "-4", "route", "show", "default")).Stdout.Trim());

        // Traffic beyond its subnet takes that route: the host answers on the bridge the container left.
        Assert.Equal(0, (await env.ExecAsync(name, "ping", "-c1", "-W2", At(firstSubnet, 1))).ExitCode);
        await env.SucceedAsync(env.Client.DeleteAsync(name, force: true));
    }
}
