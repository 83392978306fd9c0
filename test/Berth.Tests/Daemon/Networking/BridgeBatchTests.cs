using Berth.Daemon.Networking;

namespace Berth.Tests.Daemon.Networking;

public sealed class BridgeBatchTests
{
    private static readonly NetworkRecord Network = new()
    {
        Name = "bt0a1b2c",
        Subnet = "10.20.0.0/24",
        Subnet6 = "fd42:20::/64",
        Status = NetworkStatus.Ready,
        CreatedAt = DateTimeOffset.UnixEpoch,
    };

    private static BridgeState State(bool exists, bool up, params string[] addresses) => new(exists, up, addresses.ToHashSet(StringComparer.Ordinal));

    [Fact]
    public void Batch_MissingBridge_CreatesAddressesAndUpInOrder()
    {
        Assert.Equal(
            "link add bt0a1b2c type bridge\naddr replace 10.20.0.1/24 dev bt0a1b2c\naddr replace fd42:20::1/64 dev bt0a1b2c nodad\nlink set bt0a1b2c up\n",
            Bridges.Batch(Network, State(false, false)));
    }

    [Fact]
    public void Batch_BridgeAsWanted_IsEmpty()
    {
        Assert.Equal("", Bridges.Batch(Network, State(true, true, "10.20.0.1/24", "fd42:20::1/64", "fe80::1/64")));
    }

    [Fact]
    public void Batch_AddressGoneOrWrongPrefix_PutsOnlyThatBack()
    {
        Assert.Equal("addr replace 10.20.0.1/24 dev bt0a1b2c\n", Bridges.Batch(Network, State(true, true, "10.20.0.1/16", "fd42:20::1/64")));
    }

    [Fact]
    public void Batch_BridgeDown_BringsItUp()
    {
        Assert.Equal("link set bt0a1b2c up\n", Bridges.Batch(Network with { Subnet6 = null }, State(true, false, "10.20.0.1/24")));
    }

    [Fact]
    public void Batch_NameWithABlank_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => Bridges.Batch(Network with { Name = "br0 type dummy" }, State(false, false)));
    }
}
