using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Panel;

/// <summary>
/// A panel session cookie rides along with requests from any page on the same site (another loopback port counts),
/// so whatever the cookie authenticates must come from the panel's own origin: these tests send what such a page would.
/// </summary>
public sealed class CrossOriginTests(HttpBerthEnvironment env) : IClassFixture<HttpBerthEnvironment>
{
    public static TheoryData<string?> ForeignOrigins() => new() { "http://evil.example", "http://127.0.0.1:1", "null", null };

    [Theory]
    [MemberData(nameof(ForeignOrigins))]
    public async Task ExecWebsocket_WithCookie_FromForeignOriginOrNone_IsRefused_AndNothingRuns(string? origin)
    {
        var name = env.Name("wsorigin");
        if ((await env.Client.ListContainersAsync()).All(c => c.Name != name))
        {
            await env.LaunchAsync(name);
        }

        var marker = "/root/ws-" + (origin is null ? "none" : Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes(origin)));
        var (cookies, _) = await LoginAsync();
        using var socket = new ClientWebSocket();
        socket.Options.Cookies = cookies;
        socket.Options.CollectHttpResponseDetails = true;
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        var uri = new Uri($"ws://127.0.0.1:{env.Port.ToString(CultureInfo.InvariantCulture)}/api/v1/containers/{name}/exec?cmd=touch&cmd={marker}");
        var opened = false;
        try
        {
            await socket.ConnectAsync(uri, CancellationToken.None);
            opened = true;
            await DrainAsync(socket);
        }
        catch (WebSocketException)
        {
            // Refused at the handshake: what should happen.
        }

        Assert.False(opened, $"the websocket from origin '{origin}' was accepted");
        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
        Assert.DoesNotContain(marker["/root/".Length..], (await env.ExecAsync(name, "ls", "/root")).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecWebsocket_WithCookie_FromOwnOrigin_Runs()
    {
        var name = env.Name("wsown");
        await env.LaunchAsync(name);
        var (cookies, _) = await LoginAsync();
        using var socket = new ClientWebSocket();
        socket.Options.Cookies = cookies;
        socket.Options.SetRequestHeader("Origin", $"http://localhost:{env.Port.ToString(CultureInfo.InvariantCulture)}");

        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{env.Port.ToString(CultureInfo.InvariantCulture)}/api/v1/containers/{name}/exec?cmd=touch&cmd=/root/own"), CancellationToken.None);
        await DrainAsync(socket);

        Assert.Contains("own", (await env.ExecAsync(name, "ls", "/root")).Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Origin", "http://evil.example")]
    [InlineData("Origin", "http://127.0.0.1:1")]
    [InlineData("Sec-Fetch-Site", "same-site")]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    public async Task CookieChange_FromForeignPage_IsRefused_EvenWithTheCsrfHeader(string header, string value)
    {
        var (cookies, session) = await LoginAsync();
        using var handler = new HttpClientHandler { CookieContainer = cookies };
        using var http = new HttpClient(handler) { BaseAddress = env.BaseAddress };
        var network = env.NetworkName("xo" + char.ToLowerInvariant(header[0]) + value.Length.ToString(CultureInfo.InvariantCulture));
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/networks")
        {
            Content = JsonContent.Create(new NetworkCreateRequest { Name = network, Subnet = env.NextSubnet() }),
        };
        request.Headers.Add(PanelCsrfHeader, session.CsrfToken);
        request.Headers.Add(header, value);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(await env.Client.ListNetworksAsync(), n => n.Name == network);
    }

    [Fact]
    public async Task CookieRead_FromForeignOrigin_IsRefused_FromOwnOrigin_Works()
    {
        var (cookies, _) = await LoginAsync();
        using var handler = new HttpClientHandler { CookieContainer = cookies };
        using var http = new HttpClient(handler) { BaseAddress = env.BaseAddress };

        using var foreign = new HttpRequestMessage(HttpMethod.Get, "api/v1/auth/session");
        foreign.Headers.Add("Origin", "http://127.0.0.1:1");
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(foreign)).StatusCode);

        using var own = new HttpRequestMessage(HttpMethod.Get, "api/v1/containers");
        own.Headers.Add("Origin", $"http://127.0.0.1:{env.Port.ToString(CultureInfo.InvariantCulture)}");
        own.Headers.Add("Sec-Fetch-Site", "same-origin");
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(own)).StatusCode);
    }

    [Fact]
    public async Task CookieRequest_WithSpoofedHostMatchingItsOrigin_IsStillRefused()
    {
        // A page at evil.example that rebinds its name to 127.0.0.1 sends Host and Origin alike; only the listener's own address counts.
        var (cookies, _) = await LoginAsync();
        using var handler = new HttpClientHandler { CookieContainer = cookies };
        using var http = new HttpClient(handler) { BaseAddress = env.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/containers");
        request.Headers.Host = $"evil.example:{env.Port.ToString(CultureInfo.InvariantCulture)}";
        request.Headers.Add("Origin", $"http://evil.example:{env.Port.ToString(CultureInfo.InvariantCulture)}");

        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task BearerToken_NeedsNoOrigin()
    {
        var name = env.Name("wsbearer");
        await env.LaunchAsync(name);
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + env.AdminToken);

        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{env.Port.ToString(CultureInfo.InvariantCulture)}/api/v1/containers/{name}/exec?cmd=true"), CancellationToken.None);
        await DrainAsync(socket);

        Assert.Equal(WebSocketState.Closed, socket.State);
    }

    private const string PanelCsrfHeader = "X-Berth-Csrf";

    private async Task<(CookieContainer Cookies, SessionInfo Session)> LoginAsync()
    {
        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { CookieContainer = cookies };
        using var http = new HttpClient(handler) { BaseAddress = env.BaseAddress };
        using var login = await http.PostAsJsonAsync("api/v1/auth/login", new LoginRequest(env.AdminToken));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return (cookies, (await login.Content.ReadFromJsonAsync<SessionInfo>(BerthJson.Options))!);
    }

    private static async Task DrainAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var buffer = new byte[4096];
        while (socket.State == WebSocketState.Open)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
    }
}
