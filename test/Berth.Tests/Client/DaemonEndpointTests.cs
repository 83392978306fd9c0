using System.Net.Sockets;
using Berth.Client.Transport;

namespace Berth.Tests.Client;

public sealed class DaemonEndpointTests
{
    [Fact]
    public void ForStateDirectory_Directory_UsesItsUnixSocket()
    {
        var endpoint = DaemonEndpoint.ForStateDirectory("/srv/berth");

        Assert.Equal("/srv/berth/unix.socket", endpoint.SocketPath);
        Assert.Equal("/srv/berth/unix.socket", endpoint.Display);
        Assert.Equal(new Uri("ws://berth/"), endpoint.WebSocketBase);
    }

    [Fact]
    public void ForUrl_HttpWithoutTrailingSlash_NormalizesBasesAndWebSocketScheme()
    {
        var endpoint = DaemonEndpoint.ForUrl(new Uri("http://127.0.0.1:8443"));

        Assert.Equal(new Uri("http://127.0.0.1:8443/"), endpoint.HttpBase);
        Assert.Equal(new Uri("ws://127.0.0.1:8443/"), endpoint.WebSocketBase);
        Assert.Null(endpoint.SocketPath);
    }

    [Fact]
    public void ForUrl_NotHttp_Throws()
    {
        Assert.Throws<ArgumentException>(() => DaemonEndpoint.ForUrl(new Uri("ftp://127.0.0.1/")));
    }

    [Fact]
    public void DescribeUnreachable_SocketMissing_SuggestsStartingTheDaemon()
    {
        string message = DaemonEndpoint.ForStateDirectory("/srv/berth").DescribeUnreachable(SocketError.AddressNotAvailable);

        Assert.Equal("cannot reach berthd at /srv/berth/unix.socket: is the daemon running? (start it with: berthd --state-dir /srv/berth)", message);
    }

    [Fact]
    public void DescribeUnreachable_AccessDenied_SaysPermissionDenied()
    {
        string message = DaemonEndpoint.ForStateDirectory("/srv/berth").DescribeUnreachable(SocketError.AccessDenied);

        Assert.Contains("permission denied", message, StringComparison.Ordinal);
    }
}
