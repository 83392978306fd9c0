using Berth.Daemon.Errors;
using Berth.Daemon.HostNetwork;
using Berth.Daemon.Networking;

namespace Berth.Tests.Daemon.HostNetwork;

public sealed class HostFileTests
{
    private static readonly HashSet<string> NoDefaultRoute = [];

    private static IReadOnlyList<HostBridgeSpec> Parse(string text, bool force = false, params string[] defaultRoute) =>
        HostFile.Parse(text, nic => nic is "eth1" or "eth0" or "d1", defaultRoute.ToHashSet(StringComparer.Ordinal), force);

    private static string Refused(string text, bool force = false, params string[] defaultRoute) =>
        Assert.Throws<DomainError>(() => Parse(text, force, defaultRoute)).Message;

    [Fact]
    public void Parse_TheSmallestFile_GivesAPublicBridgeAndANatNetwork()
    {
        var bridges = Parse("""
            bridges:
              br-ex: { interfaces: [eth1], ipv4: 203.0.113.10/24, ipv6: 2001:db8:1::1/64 }   # public, routed IPv6
              br-int: { ipv4: 10.10.0.1/24, nat: true }                                       # private, masqueraded
            """);
        Assert.Equal(["br-ex", "br-int"], bridges.Select(b => b.Name));
        var ex = bridges[0];
        Assert.Equal(["eth1"], ex.Interfaces);
        Assert.Equal("203.0.113.10/24", ex.Ipv4);
        Assert.Equal("203.0.113.0/24", ex.Address4!.Subnet.ToString());
        Assert.Equal("2001:db8:1::/64", ex.Address6!.Subnet.ToString());
        Assert.False(ex.Nat);
        Assert.False(ex.Network);
        Assert.True(bridges[1].Nat);
        Assert.True(bridges[1].Network);
    }

    [Fact]
    public void Parse_EmptyBridges_DeclaresNone()
    {
        Assert.Empty(Parse("bridges: {}"));
        Assert.Empty(Parse("bridges:"));
    }

    [Theory]
    [InlineData("bridges:\n  br1: { ipv4: 10.10.0.1/24, color: red }", "line 2: unknown key 'bridges.br1.color'")]
    [InlineData("bridges:\n  br1: { ipv4: 10.10.0.1/24 }\nnetworks: {}", "line 3: unknown key 'networks'")]
    [InlineData("bridges:\n  br1:\n    ipv4: 10.10.0.300/24", "line 3: bridges.br1.ipv4: '10.10.0.300/24' is not an address")]
    [InlineData("bridges:\n  br1: { ipv4: 10.10.0.1/33 }", "line 2: bridges.br1.ipv4: '10.10.0.1/33': the prefix length must be at most 32")]
    [InlineData("bridges:\n  br1: { ipv4: 10.10.0.0/24 }", "must be a host address")]
    [InlineData("bridges:\n  br1: { ipv6: 10.10.0.1/24 }", "'10.10.0.1/24' is not an IPv6 address")]
    [InlineData("bridges:\n  br1: { interfaces: [nope0] }", "line 2: bridges.br1.interfaces: the host has no interface 'nope0'")]
    [InlineData("bridges:\n  br1: { interfaces: [d1] }\n  br2: { interfaces: [d1] }", "'d1' is already an interface of bridge 'br1'")]
    [InlineData("bridges:\n  Br_1: {}", "'Br_1' is not a valid bridge name")]
    [InlineData("bridges:\n  br1: { nat: true }", "bridges.br1.nat needs ipv4")]
    [InlineData("bridges:\n  br1: { ipv4: 10.10.0.1/24, nat: maybe }", "bridges.br1.nat must be true or false")]
    [InlineData("bridges:\n  br1: { ipv4: 10.10.0.1/24 }\n  br2: { ipv4: 10.10.0.129/25, network: false }", "bridges.br2: its subnet overlaps bridge 'br1'")]
    [InlineData("bridges:\n  br1: { ipv4: 10.10.0.5/24 }", "a Berth network's bridge has the first address of its subnet (10.10.0.1/24)")]
    [InlineData("bridges:\n  br1: { interfaces: [d1], ipv4: 10.10.0.1/24, network: true }", "a bridge with interfaces shares its segment")]
    [InlineData("bridges: [br1]", "line 1: bridges must be a map")]
    [InlineData("bridges: {\n", "not valid YAML")]
    public void Parse_BadFile_IsRefusedNamingTheLineAndKey(string text, string expected)
    {
        Assert.Contains(expected, Refused(text), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DuplicateBridgeNames_AreRefused()
    {
        Assert.Contains("line 3: 'br1' appears twice", Refused("bridges:\n  br1: { ipv4: 10.10.0.1/24 }\n  br1: { ipv4: 10.11.0.1/24 }"), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EveryProblem_IsNamedInOneMessage()
    {
        var message = Refused("bridges:\n  br1: { ipv4: bad }\n  br2: { interfaces: [nope0] }");
        Assert.Contains("line 2: bridges.br1.ipv4", message, StringComparison.Ordinal);
        Assert.Contains("line 3: bridges.br2.interfaces", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InterfaceWithTheDefaultRoute_IsRefusedUnlessForced()
    {
        const string text = "bridges:\n  br-ex: { interfaces: [eth0], ipv4: 203.0.113.10/24 }";
        Assert.Contains("'eth0' carries the host's default route", Refused(text, false, "eth0"), StringComparison.Ordinal);
        Assert.Equal(["eth0"], Parse(text, true, "eth0")[0].Interfaces);
        Assert.Equal(["eth0"], Parse(text)[0].Interfaces);
    }

    [Fact]
    public void Render_HostBridges_MasqueradeIpv4AndRouteIpv6WithoutNat66()
    {
        var bridges = Parse("""
            bridges:
              br-ex: { interfaces: [eth1], ipv4: 203.0.113.10/24, ipv6: 2001:db8:1::10/64 }
              br-nat: { interfaces: [d1], ipv4: 10.30.0.1/24, nat: true }
              br-int: { ipv4: 10.10.0.1/24, ipv6: 2001:db8:2::1/64, nat: true }
            """);
        var network = new NetworkRecord { Name = "br-int", Subnet = "10.10.0.0/24", Subnet6 = "2001:db8:2::/64", Nat = true, Status = NetworkStatus.Ready, CreatedAt = DateTimeOffset.UnixEpoch };
        var text = new NftRuleset("b").Render([network], [], [], null, bridges);
        Assert.Contains("ip saddr 10.10.0.0/24 ip daddr != 10.10.0.0/24 oifname != \"br-int\" masquerade", text, StringComparison.Ordinal);
        Assert.Contains("ip saddr 10.30.0.0/24 ip daddr != 10.30.0.0/24 oifname != \"br-nat\" masquerade", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ip saddr 203.0.113.0/24", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ip6 saddr 2001:db8:2::/64 ip6 daddr", text, StringComparison.Ordinal);
        Assert.Contains("iifname \"br-int\" ip6 saddr 2001:db8:2::/64 accept", text, StringComparison.Ordinal);
        Assert.Contains("oifname \"br-ex\" ip6 daddr 2001:db8:1::/64 accept", text, StringComparison.Ordinal);
        Assert.Single(text.Split('\n'), l => l.Contains("ip saddr 10.10.0.0/24", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_OnlyHostBridges_RendersTheirRulesWithoutNetworkChains()
    {
        var bridges = Parse("bridges:\n  br-ex: { interfaces: [eth1], ipv4: 203.0.113.10/24, ipv6: 2001:db8:1::10/64, nat: true }");
        var text = new NftRuleset("b").Render([], [], [], null, bridges);
        Assert.Contains("ip saddr 203.0.113.0/24 ip daddr != 203.0.113.0/24 oifname != \"br-ex\" masquerade", text, StringComparison.Ordinal);
        Assert.Contains("chain forward", text, StringComparison.Ordinal);
        Assert.DoesNotContain("chain input", text, StringComparison.Ordinal);
        Assert.DoesNotContain("{  }", text, StringComparison.Ordinal);
    }
}
