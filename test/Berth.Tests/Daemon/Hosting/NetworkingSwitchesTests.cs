using Berth.Daemon.Hosting;

namespace Berth.Tests.Daemon.Hosting;

public sealed class NetworkingSwitchesTests
{
    [Fact]
    public void Defaults_AreBerthTableSshRange40000To50000AndNoDefaultNetwork()
    {
        var options = new BerthOptions();
        Assert.Equal("berth", options.NftTable);
        Assert.Equal((40000, 50000), DaemonCommandLine.ParsePortRange(options.SshPorts));
        Assert.Null(options.DefaultNetwork);
        DaemonCommandLine.ValidateNetworking(options);
    }

    [Theory]
    [InlineData("--nft-table", "Berth:NftTable")]
    [InlineData("--ssh-ports", "Berth:SshPorts")]
    [InlineData("--default-network", "Berth:DefaultNetwork")]
    public void Switches_MapToOptions(string flag, string key) => Assert.Equal(key, DaemonCommandLine.Switches[flag]);

    [Theory]
    [InlineData("bad table", null, null)]
    [InlineData("berth", "50000-40000", null)]
    [InlineData("berth", "0-10", null)]
    [InlineData("berth", "40000-50000", "10.87.0.1/24")]
    [InlineData("berth", "40000-50000", "not-a-subnet")]
    public void ValidateNetworking_Invalid_Throws(string table, string? ports, string? network)
    {
        var options = new BerthOptions { NftTable = table, SshPorts = ports ?? "40000-50000", DefaultNetwork = network };
        Assert.Throws<ArgumentException>(() => DaemonCommandLine.ValidateNetworking(options));
    }

    [Theory]
    [InlineData("none")]
    [InlineData("10.87.0.0/24")]
    public void ValidateNetworking_DefaultNetworkSubnetOrNone_Accepted(string network) =>
        DaemonCommandLine.ValidateNetworking(new BerthOptions { DefaultNetwork = network });
}
