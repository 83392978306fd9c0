using Berth.Daemon.Networking;

namespace Berth.Tests.Daemon.Networking;

public sealed class NameServerTests
{
    [Fact]
    public void RenderHosts_OneLinePerAddress()
    {
        var text = NameServer.RenderHosts([new IpLease("br1", "10.20.0.2", "fd42::2", "web", "00:16:3e:00:00:01")]);
        Assert.Equal("10.20.0.2 web\nfd42::2 web\n", text);
    }

    [Fact]
    public void RenderHosts_NameWithALineBreak_Throws() =>
        Assert.Throws<InvalidOperationException>(() => NameServer.RenderHosts([new IpLease("br1", "10.20.0.2", null, "web\n10.0.0.1 evil", "00:16:3e:00:00:01")]));
}
