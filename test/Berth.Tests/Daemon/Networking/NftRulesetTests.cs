using Berth.Daemon.Networking;

namespace Berth.Tests.Daemon.Networking;

public sealed class NftRulesetTests
{
    private static NetworkRecord Network(string name, string subnet, bool nat = false, bool isolated = false) => new()
    {
        Name = name,
        Subnet = subnet,
        Nat = nat,
        Isolated = isolated,
        Status = NetworkStatus.Ready,
        CreatedAt = DateTimeOffset.UnixEpoch,
    };

    [Fact]
    public void Render_BridgeNameWithALineBreak_Throws()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new NftRuleset("b").Render([Network("br1\"\n flush ruleset", "10.20.0.0/24", nat: true)], [], []));
        Assert.Contains("nftables", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ReplacesOnlyItsOwnTablesInOneTransaction()
    {
        var text = new NftRuleset("berthx").Render([Network("br1", "10.20.0.0/24", nat: true)], [], []);
        var lines = text.Split('\n');
        Assert.Equal("table inet berthx {}", lines[0]);
        Assert.Equal("delete table inet berthx", lines[1]);
        Assert.All(lines.Where(l => l.StartsWith("table", StringComparison.Ordinal) || l.StartsWith("delete", StringComparison.Ordinal)),
            l => Assert.Contains(" berthx", l, StringComparison.Ordinal));
        Assert.Contains("ip saddr 10.20.0.0/24 ip daddr != 10.20.0.0/24 oifname != \"br1\" masquerade", text, StringComparison.Ordinal);
        Assert.DoesNotContain("table bridge berthx {\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Networks_LoopbackLeavesFromTheGatewayAndContainersNeverSendToLoopback()
    {
        var text = new NftRuleset("b").Render([Network("br1", "10.20.0.0/24"), Network("br2", "10.21.0.0/24")], [], []);
        Assert.Contains("oifname { \"br1\", \"br2\" } ip saddr 127.0.0.0/8 masquerade", text, StringComparison.Ordinal);
        Assert.Contains("type filter hook prerouting priority raw; policy accept;\n    iifname { \"br1\", \"br2\" } ip daddr 127.0.0.0/8 drop", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ForwardToIpv6_OutputLeavesIpv6LoopbackAlone()
    {
        var forward = new PortForward { Container = "c", Protocol = "tcp", HostPort = 8080, HostPortEnd = 8080, ContainerPort = 80, ContainerPortEnd = 80, TargetAddress = "10.20.0.5", TargetAddress6 = "fd42:20::5" };
        var text = new NftRuleset("b").Render([Network("br1", "10.20.0.0/24")], [forward], []);
        var output = text[text.IndexOf("chain output", StringComparison.Ordinal)..text.IndexOf("chain postrouting", StringComparison.Ordinal)];
        Assert.Contains("ip6 daddr != ::1 fib daddr type local meta nfproto ipv6 tcp dport 8080", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_InternalNetwork_DropsEverythingRoutedButForwards()
    {
        var text = new NftRuleset("b").Render([Network("br1", "10.20.0.0/24") with { Internal = true }, Network("br2", "10.21.0.0/24")], [], []);
        var forward = text[text.IndexOf("chain forward", StringComparison.Ordinal)..text.IndexOf("chain input", StringComparison.Ordinal)];
        Assert.Contains("iifname \"br1\" ct status dnat accept\n    oifname \"br1\" ct status dnat accept\n    iifname \"br1\" oifname != \"br1\" drop\n    oifname \"br1\" iifname != \"br1\" drop", forward, StringComparison.Ordinal);
        Assert.DoesNotContain("iifname \"br2\" drop", forward, StringComparison.Ordinal);
        Assert.DoesNotContain("masquerade\n", text.Replace("ip saddr 127.0.0.0/8 masquerade\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_TwoNetworks_DropsTrafficBetweenThemAndClosesHostServicesButDns()
    {
        var text = new NftRuleset("b").Render([Network("br1", "10.20.0.0/24"), Network("br2", "10.21.0.0/24")], [], []);
        Assert.Contains("iifname \"br1\" oifname { \"br2\" } drop", text, StringComparison.Ordinal);
        Assert.Contains("iifname \"br2\" oifname { \"br1\" } drop", text, StringComparison.Ordinal);
        Assert.Contains("iifname \"br1\" ip daddr 10.20.0.1 udp dport 53 accept", text, StringComparison.Ordinal);
        Assert.Contains("iifname { \"br1\", \"br2\" } drop", text, StringComparison.Ordinal);
        Assert.DoesNotContain("oifname != ", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Forwards_DnatInPreroutingAndOutput()
    {
        var forward = new PortForward { Container = "c", Protocol = "tcp", HostPort = 8080, HostPortEnd = 8080, ContainerPort = 80, ContainerPortEnd = 80, TargetAddress = "10.20.0.5" };
        var range = forward with { Protocol = "udp", HostPort = 8000, HostPortEnd = 8010, ContainerPort = 8000, ContainerPortEnd = 8010, ListenAddress = "192.0.2.1" };
        var text = new NftRuleset("b").Render([Network("br1", "10.20.0.0/24")], [forward, range], []);
        Assert.Equal(2, text.Split("fib daddr type local meta nfproto ipv4 tcp dport 8080 dnat ip to 10.20.0.5:80").Length - 1);
        Assert.Contains("ip daddr 192.0.2.1 meta nfproto ipv4 udp dport 8000-8010 dnat ip to 10.20.0.5\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ForwardToContainerWithIpv6_AlsoDnatsIpv6()
    {
        var forward = new PortForward { Container = "c", Protocol = "tcp", HostPort = 8080, HostPortEnd = 8080, ContainerPort = 80, ContainerPortEnd = 80, TargetAddress = "10.20.0.5", TargetAddress6 = "fd42:20::5" };
        var range = forward with { Protocol = "udp", HostPort = 8000, HostPortEnd = 8010, ContainerPort = 8000, ContainerPortEnd = 8010 };
        var text = new NftRuleset("b").Render([Network("br1", "10.20.0.0/24")], [forward, range], []);
        Assert.Equal(2, text.Split("fib daddr type local meta nfproto ipv4 tcp dport 8080 dnat ip to 10.20.0.5:80\n").Length - 1);
        Assert.Equal(2, text.Split("fib daddr type local meta nfproto ipv6 tcp dport 8080 dnat ip6 to [fd42:20::5]:80\n").Length - 1);
        Assert.Contains("fib daddr type local meta nfproto ipv6 udp dport 8000-8010 dnat ip6 to fd42:20::5\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ForwardListeningOnIpv6Address_DnatsOnlyIpv6()
    {
        var forward = new PortForward { Container = "c", Protocol = "tcp", HostPort = 8080, HostPortEnd = 8080, ContainerPort = 80, ContainerPortEnd = 80, ListenAddress = "2001:db8::1", TargetAddress = "10.20.0.5", TargetAddress6 = "fd42:20::5" };
        var text = new NftRuleset("b").Render([Network("br1", "10.20.0.0/24")], [forward], []);
        Assert.Contains("ip6 daddr 2001:db8::1 meta nfproto ipv6 tcp dport 8080 dnat ip6 to [fd42:20::5]:80\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("dnat ip to", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_IsolatedPorts_DropBridgedFramesFromThem()
    {
        var text = new NftRuleset("b").Render([Network("br1", "10.20.0.0/24", isolated: true)], [], ["vb2", "vb1"]);
        Assert.Contains("table bridge b {\n", text, StringComparison.Ordinal);
        Assert.Contains("iifname { \"vb1\", \"vb2\" } drop", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_MembersPortsOnSharedNetworks_DropFramesToAndFromOthersPorts()
    {
        var text = new NftRuleset("b").Render([Network("br1", "10.20.0.0/24")], [], [], [["va2", "va1"], ["vb1"]]);
        Assert.Contains("table bridge b {\n", text, StringComparison.Ordinal);
        Assert.Contains("    iifname { \"va1\", \"va2\" } oifname != { \"va1\", \"va2\" } drop\n", text, StringComparison.Ordinal);
        Assert.Contains("    oifname { \"va1\", \"va2\" } iifname != { \"va1\", \"va2\" } drop\n", text, StringComparison.Ordinal);
        Assert.Contains("    iifname { \"vb1\" } oifname != { \"vb1\" } drop\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("iifname { \"va1\", \"va2\" } drop", text, StringComparison.Ordinal);
    }
}
