using System.Globalization;
using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Users;

/// <summary>berthd --member-subnets: members' networks get a free /24 of the admin's range, never one outside it, and a networks quota counts them.</summary>
public sealed class MemberSubnetTests(HttpBerthEnvironment env) : IClassFixture<HttpBerthEnvironment>
{
    private async Task<(string User, BerthClient Client)> MemberAsync(string hint)
    {
        var name = env.Name(hint);
        await env.Client.CreateUserAsync(new UserCreateRequest { Name = name, Role = "member", Password = "a-good-password-1" });
        var token = (await env.Client.CreateTokenAsync(name, new TokenCreateRequest { Name = "cli" })).Token;
        return (name, new BerthClient(env.BaseAddress, token));
    }

    /// <summary>Two consecutive /24s of this environment's own that form one /23.</summary>
    private (string Range, string First, string Second) OwnPair()
    {
        // Subnets come in order: skip one when it is odd, so the pair starts on a /23 boundary.
        while (true)
        {
            var first = env.NextSubnet();
            if (int.Parse(first.Split('.')[2], CultureInfo.InvariantCulture) % 2 == 0)
            {
                return (first.Replace("/24", "/23", StringComparison.Ordinal), first, env.NextSubnet());
            }
        }
    }

    [Fact]
    public async Task MemberNetworks_ComeFromTheMemberRange_NeverOverlap_AndCountAgainstTheNetworksQuota()
    {
        var (range, first, second) = OwnPair();
        await env.Daemon.StopAsync();
        await env.StartDaemonAsync("--member-subnets", range);
        var (alice, aliceClient) = await MemberAsync("snalice");
        var (_, bob) = await MemberAsync("snbob");
        using var a = aliceClient;
        using var b = bob;

        // A free /24 of the range when she gives none.
        var hers = env.NetworkName("sna1");
        await env.SucceedAsync(aliceClient.CreateNetworkAsync(new NetworkCreateRequest { Name = hers }));
        Assert.Equal(first, (await env.Client.GetNetworkAsync(hers)).Subnet);

        // A subnet outside the range is refused, and nothing is made.
        var outside = env.NetworkName("snout");
        var refused = await Assert.ThrowsAsync<BerthApiException>(() => bob.CreateNetworkAsync(new NetworkCreateRequest { Name = outside, Subnet = env.NextSubnet() }));
        Assert.Equal(403, refused.Status);
        Assert.Contains(range, refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(outside, (await env.Client.ListNetworksAsync()).Select(n => n.Name));

        // An admin's network in the range is skipped: the next member network would overlap it, and the range is then full.
        await env.SucceedAsync(env.Client.CreateNetworkAsync(new NetworkCreateRequest { Name = env.NetworkName("snadm"), Subnet = second }));
        var full = await Assert.ThrowsAsync<BerthApiException>(() => bob.CreateNetworkAsync(new NetworkCreateRequest { Name = env.NetworkName("snb1") }));
        Assert.Equal(409, full.Status);
        Assert.Equal("Member range full", full.Title);

        // networks=1: her second network is over quota before any range is looked at.
        await env.Client.UpdateQuotaAsync(alice, new QuotaUpdateRequest { Set = new Dictionary<string, string> { ["networks"] = "1" } });
        var over = await Assert.ThrowsAsync<BerthApiException>(() => aliceClient.CreateNetworkAsync(new NetworkCreateRequest { Name = env.NetworkName("sna2") }));
        Assert.Equal(403, over.Status);
        Assert.Equal("Quota exceeded", over.Title);
        Assert.Contains("networks", over.Message, StringComparison.Ordinal);
        var networks = (await env.Client.ListNetworksAsync()).Select(n => n.Name).ToList();
        Assert.DoesNotContain(env.NetworkName("sna2"), networks);
        Assert.DoesNotContain(env.NetworkName("snb1"), networks);
    }
}
