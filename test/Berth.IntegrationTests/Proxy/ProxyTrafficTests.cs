using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Berth.Contracts;

namespace Berth.IntegrationTests.Proxy;

/// <summary>What users send through the real nginx: both address families on [::], a large upload, a websocket.</summary>
public sealed class ProxyTrafficTests(DualStackProxyBerthEnvironment env) : IClassFixture<DualStackProxyBerthEnvironment>
{
    private string Domain(string hint) => $"{hint}.{env.Prefix}.test";

    [Fact]
    public async Task ListenerOnIpv6Any_ServesIpv4AndIpv6Clients()
    {
        Assert.True(Socket.OSSupportsIPv6, "this host has no IPv6");
        var web = await env.LaunchWebServerAsync("dual", "page-of-dual");
        var domain = Domain("dual");
        await env.SucceedAsync(env.Client.AddRouteAsync(new RouteRequest { Container = web, Domain = domain }));

        foreach (var address in new[] { IPAddress.Loopback, IPAddress.IPv6Loopback })
        {
            using var http = Client(address);
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{domain}:{env.HttpPort.ToString(CultureInfo.InvariantCulture)}/");
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("page-of-dual", (await response.Content.ReadAsStringAsync()).Trim());
        }

        var route = Assert.Single(await env.Client.ListRoutesAsync(web));
        var log = await ProxyBerthEnvironment.AccessLogWithAsync(route.AccessLog, "::1 ");
        Assert.Contains("127.0.0.1 ", log, StringComparison.Ordinal);
        Assert.Contains("::1 ", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_20MegabytesUnderMaxBody_ReachesTheContainerWhole_AndOneOverItIs413()
    {
        var web = await env.LaunchWebServerAsync("upload", "page-of-upload");
        // A raw listener that reads the headers, then exactly Content-Length bytes, and answers with their sha256.
        var script = Path.Combine(env.LxcPath, web, "rootfs", "sum");
        await File.WriteAllTextAsync(script, """
            #!/bin/sh
            len=0
            while IFS= read -r line; do
                line=$(printf '%s' "$line" | tr -d '\r')
                [ -z "$line" ] && break
                case "$line" in
                    [Cc]ontent-[Ll]ength:*) len=$(printf '%s' "${line#*:}" | tr -d ' ') ;;
                esac
            done
            sum=$(head -c "$len" | sha256sum | cut -d' ' -f1)
            printf 'HTTP/1.0 200 OK\r\nContent-Length: 65\r\nConnection: close\r\n\r\n%s\n' "$sum"

            """.ReplaceLineEndings("\n"));
        File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
        var (code, _, stderr) = await env.ExecAsync(web, "sh", "-c", "(nc -l -p 8083 -e /sum >/dev/null 2>&1 &) && sleep 0.2");
        Assert.True(code == 0, stderr);
        var domain = Domain("upload");
        await env.SucceedAsync(env.Client.AddRouteAsync(new RouteRequest { Container = web, Domain = domain, Port = 8083, MaxBody = "25m", Timeout = "120s" }));

        var body = RandomNumberGenerator.GetBytes(20 * 1024 * 1024);
        using var http = Client(IPAddress.Loopback);
        http.Timeout = TimeSpan.FromMinutes(2);
        using (var content = new ByteArrayContent(body))
        using (var response = await http.PostAsync(new Uri($"http://{domain}:{env.HttpPort.ToString(CultureInfo.InvariantCulture)}/upload"), content))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(body)), (await response.Content.ReadAsStringAsync()).Trim());
        }

        // Over --max-body nginx answers 413 itself; asked with Expect: 100-continue, before a byte of the body is sent.
        using var large = new ByteArrayContent(new byte[26 * 1024 * 1024]);
        using var tooLarge = new HttpRequestMessage(HttpMethod.Post, $"http://{domain}:{env.HttpPort.ToString(CultureInfo.InvariantCulture)}/upload") { Content = large };
        tooLarge.Headers.ExpectContinue = true;
        using var refused = await http.SendAsync(tooLarge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
    }

    [Fact]
    public async Task Websocket_UpgradesThroughTheRoute_AndCarriesFramesBothWays()
    {
        var web = await env.LaunchWebServerAsync("ws", "page-of-ws");
        // A websocket server in busybox sh: the handshake (Sec-WebSocket-Accept from sha1sum, xxd and base64), then it
        // keeps the client's first frame in /got and answers with an unmasked text frame "hello".
        var handler = Path.Combine(env.LxcPath, web, "rootfs", "ws");
        await File.WriteAllTextAsync(handler, """
            #!/bin/sh
            key=""
            while IFS= read -r line; do
                line=$(printf '%s' "$line" | tr -d '\r')
                [ -z "$line" ] && break
                case "$line" in
                    [Ss]ec-[Ww]eb[Ss]ocket-[Kk]ey:*) key=$(printf '%s' "${line#*:}" | tr -d ' ') ;;
                    [Uu]pgrade:*) printf '%s\n' "$line" >> /headers ;;
                esac
            done
            accept=$(printf '%s' "${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11" | sha1sum | cut -d' ' -f1 | xxd -r -p | base64)
            printf 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n' "$accept"
            head -c 10 > /got
            printf '\201\005hello'
            sleep 2

            """.ReplaceLineEndings("\n"));
        File.SetUnixFileMode(handler, (UnixFileMode)0b111_101_101);
        var (code, _, stderr) = await env.ExecAsync(web, "sh", "-c", "(nc -l -p 8082 -e /ws >/dev/null 2>&1 &) && sleep 0.2");
        Assert.True(code == 0, stderr);
        var domain = Domain("ws");
        await env.SucceedAsync(env.Client.AddRouteAsync(new RouteRequest { Container = web, Domain = domain, Port = 8082, Websocket = true }));

        using var socket = new ClientWebSocket();
        using var invoker = new HttpMessageInvoker(Handler(IPAddress.Loopback));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await socket.ConnectAsync(new Uri($"ws://{domain}:{env.HttpPort.ToString(CultureInfo.InvariantCulture)}/chat"), invoker, timeout.Token);
        Assert.Equal(WebSocketState.Open, socket.State);
        await socket.SendAsync("ping"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
        var buffer = new byte[64];
        var received = await socket.ReceiveAsync(buffer, timeout.Token);
        Assert.Equal(WebSocketMessageType.Text, received.MessageType);
        Assert.Equal("hello", Encoding.UTF8.GetString(buffer, 0, received.Count));

        // The container got the client's frame as sent: a masked text frame whose payload is "ping".
        var got = await File.ReadAllBytesAsync(Path.Combine(env.LxcPath, web, "rootfs", "got"));
        Assert.Equal(10, got.Length);
        Assert.Equal(0x81, got[0]);
        Assert.Equal(0x84, got[1]);
        Assert.Equal("ping", Encoding.ASCII.GetString([.. got[6..].Select((b, i) => (byte)(b ^ got[2 + (i % 4)]))]));
        Assert.Contains("websocket", await File.ReadAllTextAsync(Path.Combine(env.LxcPath, web, "rootfs", "headers")), StringComparison.OrdinalIgnoreCase);
    }

    private SocketsHttpHandler Handler(IPAddress address) => new()
    {
        ConnectCallback = async (_, ct) =>
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(address, env.HttpPort, ct);
            return new NetworkStream(socket, ownsSocket: true);
        },
    };

    private HttpClient Client(IPAddress address) => new(Handler(address)) { Timeout = TimeSpan.FromSeconds(10) };
}
