using System.Globalization;
using System.Security.Cryptography;
using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Users;

/// <summary>Members' own networks and the shared one, proven with real traffic between real containers of two members.</summary>
public sealed class TenantNetworkTests(HttpBerthEnvironment env) : IClassFixture<HttpBerthEnvironment>
{
    private async Task<(string User, BerthClient Client)> MemberAsync(string hint)
    {
        var name = env.Name(hint);
        await env.Client.CreateUserAsync(new UserCreateRequest { Name = name, Role = "member", Password = "a-good-password-1" });
        var token = (await env.Client.CreateTokenAsync(name, new TokenCreateRequest { Name = "cli" })).Token;
        return (name, new BerthClient(env.BaseAddress, token));
    }

    private async Task<string> LaunchAsync(BerthClient client, string hint, string network)
    {
        var name = env.Name(hint);
        await env.SucceedAsync(client.LaunchAsync(new LaunchRequest { Name = name, Image = "busybox", Network = network }));
        return (await env.Client.GetContainerAsync(name)).Ipv4!;
    }

    private async Task<bool> PingsAsync(string container, string address) =>
        (await env.ExecAsync(env.Name(container), "ping", "-c1", "-W2", address)).ExitCode == 0;

    /// <summary>Whether <paramref name="from"/> gets a line through TCP from a listener started in <paramref name="to"/>.</summary>
    private async Task<bool> ConnectsAsync(string from, string to, string address)
    {
        var port = RandomNumberGenerator.GetInt32(2000, 9000).ToString(CultureInfo.InvariantCulture);
        Assert.Equal(0, (await env.ExecAsync(env.Name(to), "sh", "-c", $"(echo reached-{to} | timeout 8 nc -l -p {port}) >/dev/null 2>&1 &")).ExitCode);
        var got = "";
        for (var attempt = 0; attempt < 6 && !got.Contains($"reached-{to}", StringComparison.Ordinal); attempt++)
        {
            got = (await env.ExecAsync(env.Name(from), "sh", "-c", $"timeout 2 nc {address} {port} </dev/null")).Stdout;
        }

        return got.Contains($"reached-{to}", StringComparison.Ordinal);
    }

    [Fact]
    public async Task MembersNetworks_OwnedByThem_OthersCannotUseOrSeeThem_NoTrafficBetween_NatOut()
    {
        var (alice, asAlice) = await MemberAsync("alice");
        var (bob, asBob) = await MemberAsync("bob");
        using var a = asAlice;
        using var b = asBob;
        var aliceNet = env.NetworkName("ta");
        var bobNet = env.NetworkName("tb");
        await env.SucceedAsync(asAlice.CreateNetworkAsync(new NetworkCreateRequest { Name = aliceNet, Subnet = env.NextSubnet() }));
        await env.SucceedAsync(asBob.CreateNetworkAsync(new NetworkCreateRequest { Name = bobNet, Subnet = env.NextSubnet() }));

        var created = await env.Client.GetNetworkAsync(aliceNet);
        Assert.Equal(alice, created.Owner);
        Assert.Equal("nat", created.Mode);
        Assert.Equal(bob, (await env.Client.GetNetworkAsync(bobNet)).Owner);
        Assert.DoesNotContain(await asBob.ListNetworksAsync(), n => n.Name == aliceNet);
        Assert.Equal(404, (await Assert.ThrowsAsync<BerthApiException>(() => asBob.GetNetworkAsync(aliceNet))).Status);
        Assert.Equal(404, (await Assert.ThrowsAsync<BerthApiException>(() => asBob.DeleteNetworkAsync(aliceNet))).Status);
        var intruder = await Assert.ThrowsAsync<BerthApiException>(() => asBob.LaunchAsync(new LaunchRequest { Name = env.Name("bx"), Image = "busybox", Network = aliceNet }));
        Assert.Equal(404, intruder.Status);
        Assert.DoesNotContain(await env.Client.ListContainersAsync(), c => c.Name == env.Name("bx"));

        await LaunchAsync(asAlice, "a1", aliceNet);
        var a2 = await LaunchAsync(asAlice, "a2", aliceNet);
        var b1 = await LaunchAsync(asBob, "b1", bobNet);
        var a1 = (await env.Client.GetContainerAsync(env.Name("a1"))).Ipv4!;

        // Within alice's network her containers talk (the probes work); between members nothing passes, either way.
        Assert.True(await PingsAsync("a1", a2));
        Assert.True(await ConnectsAsync("a1", "a2", a2));
        Assert.False(await PingsAsync("a1", b1));
        Assert.False(await PingsAsync("b1", a1));
        Assert.False(await ConnectsAsync("a1", "b1", b1));
        Assert.False(await ConnectsAsync("b1", "a1", a1));

        // Out through the host, masqueraded: the outside has no route back to the member's subnet, only to the host.
        await using var outside = await ClientNamespace.CreateAsync(env, "o");
        Assert.Equal(0, (await outside.RunAsync("ip", "route", "del", "default")).ExitCode);
        Assert.True(await PingsAsync("a1", (await env.Client.GetNetworkAsync(aliceNet)).Gateway));
        var port = RandomNumberGenerator.GetInt32(20000, 30000).ToString(CultureInfo.InvariantCulture);
        Assert.Equal(0, (await outside.RunAsync("sh", "-c", $"(echo beyond-the-host | timeout 20 busybox nc -l -p {port}) >/dev/null 2>&1 &")).ExitCode);
        var got = "";
        for (var attempt = 0; attempt < 8 && !got.Contains("beyond-the-host", StringComparison.Ordinal); attempt++)
        {
            got = (await env.ExecAsync(env.Name("a1"), "sh", "-c", $"timeout 2 nc {outside.ClientAddress} {port} </dev/null")).Stdout;
        }

        Assert.Contains("beyond-the-host", got, StringComparison.Ordinal);

        // Alice deletes her own network once it is empty; a shared one she cannot.
        foreach (var container in new[] { "a1", "a2" })
        {
            await env.SucceedAsync(asAlice.DeleteAsync(env.Name(container), force: true));
        }

        await env.SucceedAsync(asAlice.DeleteNetworkAsync(aliceNet));
        var shared = env.NetworkName("tsh");
        await env.SucceedAsync(env.Client.CreateNetworkAsync(new NetworkCreateRequest { Name = shared, Subnet = env.NextSubnet(), Nat = true }));
        Assert.Equal(403, (await Assert.ThrowsAsync<BerthApiException>(() => asAlice.DeleteNetworkAsync(shared))).Status);
        Assert.NotNull(await env.Client.GetNetworkAsync(shared));
    }

    [Fact]
    public async Task SharedNetwork_MembersContainersReachTheirOwnAndTheGateway_NotEachOthers()
    {
        var (_, asCarol) = await MemberAsync("carol");
        var (_, asDave) = await MemberAsync("dave");
        using var c = asCarol;
        using var d = asDave;
        var shared = env.NetworkName("sh");
        await env.SucceedAsync(env.Client.CreateNetworkAsync(new NetworkCreateRequest { Name = shared, Subnet = env.NextSubnet(), Nat = true }));
        var gateway = (await env.Client.GetNetworkAsync(shared)).Gateway;
        var c1 = await LaunchAsync(asCarol, "c1", shared);
        var c2 = await LaunchAsync(asCarol, "c2", shared);
        var d1 = await LaunchAsync(asDave, "d1", shared);
        var r1 = await LaunchAsync(env.Client, "r1", shared);

        Assert.True(await PingsAsync("c1", gateway));
        Assert.True(await PingsAsync("d1", gateway));
        Assert.True(await PingsAsync("c1", c2));
        Assert.True(await ConnectsAsync("c2", "c1", c1));
        Assert.False(await PingsAsync("c1", d1));
        Assert.False(await PingsAsync("d1", c1));
        Assert.False(await ConnectsAsync("c1", "d1", d1));
        Assert.False(await ConnectsAsync("d1", "c1", c1));
        Assert.False(await PingsAsync("r1", c1));
        Assert.False(await PingsAsync("c1", r1));
    }
}
