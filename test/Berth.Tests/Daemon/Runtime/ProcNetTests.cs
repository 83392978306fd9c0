using Berth.Daemon.Runtime;

namespace Berth.Tests.Daemon.Runtime;

public sealed class ProcNetTests
{
    // /proc/net/fib_trie of a container with lo and eth0 10.0.3.5/24: both tables list the address, plus broadcasts.
    private const string FibTrie = """
        Main:
          +-- 0.0.0.0/0 3 0 5
             |-- 0.0.0.0
                /0 universe UNICAST
             +-- 10.0.3.0/24 2 0 2
                +-- 10.0.3.0/29 2 0 2
                   |-- 10.0.3.0
                      /24 link UNICAST
                   |-- 10.0.3.5
                      /32 host LOCAL
                |-- 10.0.3.255
                   /32 link BROADCAST
             +-- 127.0.0.0/8 2 0 2
                +-- 127.0.0.0/31 1 0 0
                   |-- 127.0.0.0
                      /8 host LOCAL
                   |-- 127.0.0.1
                      /32 host LOCAL
                |-- 127.255.255.255
                   /32 link BROADCAST
        Local:
          +-- 0.0.0.0/0 3 0 5
             |-- 0.0.0.0
                /0 universe UNICAST
             +-- 10.0.3.0/24 2 0 2
                +-- 10.0.3.0/29 2 0 2
                   |-- 10.0.3.0
                      /24 link UNICAST
                   |-- 10.0.3.5
                      /32 host LOCAL
                |-- 10.0.3.255
                   /32 link BROADCAST
             +-- 127.0.0.0/8 2 0 2
                +-- 127.0.0.0/31 1 0 0
                   |-- 127.0.0.0
                      /8 host LOCAL
                   |-- 127.0.0.1
                      /32 host LOCAL
                |-- 127.255.255.255
                   /32 link BROADCAST
        """;

    [Fact]
    public void Ipv4_ContainerFibTrie_OnlyTheLocalNonLoopbackAddressOnce()
    {
        var addresses = ProcNet.Ipv4(FibTrie.Split('\n')).ToList();

        Assert.Equal(["10.0.3.5"], addresses);
    }

    [Fact]
    public void Ipv4_TwoLocalAddresses_BothInOrder()
    {
        string[] trie =
        [
            "Local:",
            "  +-- 0.0.0.0/0 3 0 5",
            "     |-- 10.0.3.5",
            "        /32 host LOCAL",
            "     |-- 192.168.1.7",
            "        /32 host LOCAL",
        ];

        Assert.Equal(["10.0.3.5", "192.168.1.7"], ProcNet.Ipv4(trie).ToList());
    }

    [Fact]
    public void Ipv4_Empty_Nothing()
    {
        Assert.Empty(ProcNet.Ipv4([]));
        Assert.Empty(ProcNet.Ipv4(["/32 host LOCAL"]));
    }

    [Fact]
    public void Ipv6_GlobalAddress_ReturnedFormatted()
    {
        string[] lines = ["fd420000000000000000000000000005 02 40 00 00     eth0"];

        Assert.Equal(["fd42::5"], ProcNet.Ipv6(lines).ToList());
    }

    [Fact]
    public void Ipv6_IfInet6_SkipsLinkLocalAndLoopback()
    {
        string[] lines =
        [
            "00000000000000000000000000000001 01 80 10 80       lo",
            "fe80000000000000021634fffe56789a 02 40 20 80     eth0",
            "20010db8000000000000000000000010 02 40 00 00     eth0",
        ];

        Assert.Equal(["2001:db8::10"], ProcNet.Ipv6(lines).ToList());
    }

    [Fact]
    public void Ipv6_MalformedLines_Skipped()
    {
        string[] lines = ["", "garbage", "20010db8 02 40 00 00 eth0", "20010db8000000000000000000000010 02 40 00"];

        Assert.Empty(ProcNet.Ipv6(lines));
    }
}
