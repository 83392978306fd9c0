using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Proxy;

/// <summary>
/// berthd's own panel and API published under a domain through the real nginx it runs (berth route add --panel), on
/// high loopback ports: served over TLS, logged into with a Secure cookie, changed with the CSRF token, and the
/// client's address seen through the proxy; a foreign page and a client's own forwarded headers get nowhere.
/// </summary>
public sealed class PanelRouteTests(MemberProxyBerthEnvironment env) : IClassFixture<MemberProxyBerthEnvironment>
{
    private static readonly X509Certificate2 Ca = MakeCa();

    private string Domain(string hint) => $"{hint}.{env.Prefix}.test";

    private string HttpsPort => env.ProxyHttpsPort.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task PanelRoute_OverTls_ServesPanelAndApi_LoginAndCsrfChangeWork_ThenRemoved()
    {
        var domain = Domain("panel");
        await AddCertificateAsync("panelcert", domain);
        var added = await CliRunner.RunAsync(env.StateDir, "route", "add", "--panel", domain, "--tls", "panelcert", "--redirect-https");
        Assert.True(added.ExitCode == 0, added.Stderr + env.Daemon.Log);
        var list = await CliRunner.RunAsync(env.StateDir, "route", "list");
        Assert.Contains(list.Stdout.Split('\n'), line => line.StartsWith(domain + " ", StringComparison.Ordinal) && line.Contains("(panel)", StringComparison.Ordinal));
        var route = Assert.Single(await env.Client.ListRoutesAsync(), r => r.Domain == domain);
        Assert.True(route.Panel);
        Assert.Equal("panelcert", route.Certificate);

        // Plain HTTP is sent to HTTPS; HTTPS serves the panel's page and the API.
        using (var plain = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(10) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{env.ProxyHttpPort.ToString(CultureInfo.InvariantCulture)}/");
            request.Headers.Host = domain;
            using var redirect = await plain.SendAsync(request);
            Assert.Equal(HttpStatusCode.PermanentRedirect, redirect.StatusCode);
            Assert.Equal($"https://{domain}:{HttpsPort}/", redirect.Headers.Location?.ToString());
        }

        using var browser = Browser(domain, "127.0.0.2");
        using (var index = await browser.GetAsync(new Uri("/", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, index.StatusCode);
            Assert.Contains("<title>Berth", await index.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var whoami = new HttpRequestMessage(HttpMethod.Get, "/api/v1/auth/whoami"))
        {
            whoami.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", env.AdminToken);
            using var answer = await browser.SendAsync(whoami);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.True((await answer.Content.ReadFromJsonAsync<CallerInfo>(BerthJson.Options))!.Root);
        }

        // The login comes from the page's public origin; the cookie is Secure, since the browser used HTTPS.
        var origin = $"https://{domain}:{HttpsPort}";
        using var login = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/login") { Content = JsonContent.Create(new LoginRequest(Token: env.AdminToken), options: BerthJson.Options) };
        login.Headers.Add("Origin", origin);
        login.Headers.Add("X-Forwarded-For", "6.6.6.6"); // nginx puts the real client in its place
        using var loggedIn = await browser.SendAsync(login);
        Assert.True(loggedIn.StatusCode == HttpStatusCode.OK, await loggedIn.Content.ReadAsStringAsync());
        var cookie = Assert.Single(loggedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("berth_session=", StringComparison.Ordinal));
        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
        var session = cookie.Split(';')[0];
        var csrf = (await loggedIn.Content.ReadFromJsonAsync<SessionInfo>(BerthJson.Options))!.CsrfToken;

        var banned = Domain("banned-by-panel");
        using (var change = Change(session, origin, csrf, banned))
        using (var changed = await browser.SendAsync(change))
        {
            Assert.True(changed.StatusCode == HttpStatusCode.Created, await changed.Content.ReadAsStringAsync());
        }

        Assert.Contains(await env.Client.ListDomainBansAsync(), b => b.Pattern == banned);

        // Without the CSRF token, from a foreign page, or from berthd's direct origin: refused, nothing changed.
        var refused = Domain("refused-by-panel");
        foreach (var (from, token) in new[] { (origin, (string?)null), ("https://evil.example", csrf), ($"https://evil.example:{HttpsPort}", csrf), ($"http://127.0.0.1:{env.Port.ToString(CultureInfo.InvariantCulture)}", csrf), ($"http://{domain}:{HttpsPort}", csrf) })
        {
            using var change = Change(session, from, token, refused);
            using var answer = await browser.SendAsync(change);
            Assert.True(answer.StatusCode == HttpStatusCode.Forbidden, $"{from}: {answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
        }

        Assert.DoesNotContain(await env.Client.ListDomainBansAsync(), b => b.Pattern == refused);

        // berthd saw the client nginx saw (127.0.0.2), not nginx's own address and not the client's claim.
        var audit = await env.Client.ListAuditAsync(limit: 200);
        Assert.Contains(audit, e => e.Action == "auth.login" && e.Status == 200 && e.Address == "127.0.0.2");
        Assert.Contains(audit, e => e.Path == "/api/v1/domain-bans" && e.Status == 201 && e.Address == "127.0.0.2");
        Assert.DoesNotContain(audit, e => e.Address == "6.6.6.6");

        await env.Client.UnbanDomainAsync(banned);
        var removed = await CliRunner.RunAsync(env.StateDir, "route", "remove", domain);
        Assert.True(removed.ExitCode == 0, removed.Stderr);
        Assert.DoesNotContain(await env.Client.ListRoutesAsync(), r => r.Domain == domain);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => browser.GetAsync(new Uri("/", UriKind.Relative)));
        await NotServedAsync(domain);
        await env.SucceedAsync(env.Client.RemoveCertificateAsync("panelcert"));
    }

    [Fact]
    public async Task PanelRoute_EventStream_ArrivesThroughTheProxyAsItHappens()
    {
        var domain = Domain("events");
        await env.SucceedAsync(env.Client.AddPanelRouteAsync(new PanelRouteRequest { Domain = domain, Tls = "off" }));
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{env.ProxyHttpPort.ToString(CultureInfo.InvariantCulture)}/api/v1/events");
        request.Headers.Host = domain;
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", env.AdminToken);
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, guard.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(guard.Token));
        Assert.Equal(": berth events", await reader.ReadLineAsync(guard.Token));

        // A job started now shows up on the open stream while the stream stays open.
        var other = Domain("events-other");
        var job = await env.Client.AddPanelRouteAsync(new PanelRouteRequest { Domain = other, Tls = "off" });
        string? line;
        while ((line = await reader.ReadLineAsync(guard.Token)) is not null && !(line.StartsWith("data: ", StringComparison.Ordinal) && line.Contains(job.Id, StringComparison.Ordinal)))
        {
        }

        Assert.NotNull(line);
        await env.Client.WaitForJobAsync(job);
        await env.SucceedAsync(env.Client.RemoveRouteAsync(other));
        await env.SucceedAsync(env.Client.RemoveRouteAsync(domain));
    }

    /// <summary>
    /// What proxy_buffering off changes: nginx reads berthd's answer only as fast as the client takes it. Buffered, it
    /// would read ahead into memory and then into files under its temp directory, up to a gigabyte per request. (An event
    /// stream cannot show the difference: berthd's answers are chunked, and nginx passes each whole chunk on at once
    /// either way.)
    /// </summary>
    [Fact]
    public async Task PanelRoute_LargeDownloadToAClientThatStopsReading_NginxDoesNotReadAhead()
    {
        var domain = Domain("download");
        await env.SucceedAsync(env.Client.AddPanelRouteAsync(new PanelRouteRequest { Domain = domain, Tls = "off" }));
        var web = env.Name("pdl");
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = web, Image = "busybox", Start = false }));
        const int size = 32 << 20;
        await File.WriteAllBytesAsync(Path.Combine(env.LxcPath, web, "rootfs", "big"), new byte[size]);

        // A small receive window, and after the answer's first bytes no reading: what nginx cannot pass on, it must hold.
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await socket.ConnectAsync(IPAddress.Loopback, env.ProxyHttpPort);
        await socket.SendAsync(System.Text.Encoding.ASCII.GetBytes(
            $"GET /api/v1/containers/{web}/files?path=/big HTTP/1.1\r\nHost: {domain}\r\nAuthorization: Bearer {env.AdminToken}\r\nConnection: close\r\n\r\n"));
        var buffer = new byte[65536];
        var first = await socket.ReceiveAsync(buffer);
        Assert.StartsWith("HTTP/1.1 200", System.Text.Encoding.ASCII.GetString(buffer, 0, first), StringComparison.Ordinal);

        // nginx unlinks a temp file as it opens it: the file shows only among its processes' open files.
        var temp = Path.Combine(env.ProxyDir, "temp", "proxy") + "/";
        for (var i = 0; i < 30; i++)
        {
            Assert.DoesNotContain(ProxyBerthEnvironment.NginxProcesses(env.ProxyDir), pid => OpenFiles(pid).Any(f => f.StartsWith(temp, StringComparison.Ordinal)));
            await Task.Delay(100);
        }

        // Taken at the client's pace, the whole file still arrives.
        long received = first;
        int n;
        while ((n = await socket.ReceiveAsync(buffer)) > 0)
        {
            received += n;
        }

        Assert.True(received > size, $"{received} bytes of a {size}-byte file and its headers");
        await env.SucceedAsync(env.Client.DeleteAsync(web, force: true));
        await env.SucceedAsync(env.Client.RemoveRouteAsync(domain));
    }

    [Fact]
    public async Task PanelListener_ForgedForwardedHeadersWithoutTheSecret_ChangeNothing()
    {
        // Straight to berthd's loopback listener from 127.0.0.3, claiming another client, HTTPS and a foreign host.
        using var direct = Direct("127.0.0.3");
        var own = $"http://127.0.0.1:{env.Port.ToString(CultureInfo.InvariantCulture)}";
        using (var forged = Login(new LoginRequest(Token: env.AdminToken), "https://evil.example"))
        using (var answer = await direct.SendAsync(forged))
        {
            Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
        }

        using (var forged = Login(new LoginRequest(Token: env.AdminToken), own))
        using (var answer = await direct.SendAsync(forged))
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.DoesNotContain("secure", Assert.Single(answer.Headers.GetValues("Set-Cookie"), c => c.StartsWith("berth_session=", StringComparison.Ordinal)), StringComparison.OrdinalIgnoreCase);
        }

        // Each wrong login claims another address and names another account: only the real address (127.0.0.3) adds them up.
        for (var i = 0; i < 5; i++)
        {
            using var wrong = Login(new LoginRequest(User: $"nobody{i.ToString(CultureInfo.InvariantCulture)}", Password: "wrong-password"), own, $"6.6.6.{(i + 1).ToString(CultureInfo.InvariantCulture)}");
            using var answer = await direct.SendAsync(wrong);
            Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
        }

        using (var next = Login(new LoginRequest(User: "nobody-else", Password: "wrong-password"), own, "7.7.7.7"))
        using (var answer = await direct.SendAsync(next))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, answer.StatusCode);
        }

        var logins = (await env.Client.ListAuditAsync(limit: 200)).Where(e => e.Action == "auth.login" && e.Address != "127.0.0.1" && e.Address != "127.0.0.2").ToList();
        Assert.NotEmpty(logins);
        Assert.All(logins, e => Assert.Equal("127.0.0.3", e.Address));
    }

    [Fact]
    public async Task PanelRoute_MemberRefused_BadInputRefused_AndNothingChanged()
    {
        var name = env.Name("pm");
        await env.Client.CreateUserAsync(new UserCreateRequest { Name = name, Role = "member", Password = "a-good-password-1" });
        var token = (await env.Client.CreateTokenAsync(name, new TokenCreateRequest { Name = "cli" })).Token;
        using var member = new BerthClient(env.BaseAddress, token);
        var before = await StateAsync();

        var forbidden = await Assert.ThrowsAsync<BerthApiException>(() => member.AddPanelRouteAsync(new PanelRouteRequest { Domain = $"panel.{env.MemberSuffix}" }));
        Assert.Equal((int)HttpStatusCode.Forbidden, forbidden.Status);

        foreach (var bad in new[]
        {
            new PanelRouteRequest { Domain = "not a domain" },
            new PanelRouteRequest { Domain = "*.wild.test" },
            new PanelRouteRequest { Domain = Domain("badtls"), Tls = "no/such" },
            new PanelRouteRequest { Domain = Domain("badredirect"), Tls = "off", RedirectHttps = true },
        })
        {
            var refused = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.AddPanelRouteAsync(bad));
            Assert.True(refused.Status == (int)HttpStatusCode.BadRequest, $"{bad}: {refused.Status} {refused.Message}");
        }

        var missing = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.AddPanelRouteAsync(new PanelRouteRequest { Domain = Domain("nocert"), Tls = "no-such-cert" }));
        Assert.Equal((int)HttpStatusCode.NotFound, missing.Status);

        var cli = await CliRunner.RunAsync(env.StateDir, "route", "add", "--panel", Domain("cli"), "--port", "8080");
        Assert.NotEqual(0, cli.ExitCode);
        Assert.Single(cli.Stderr.Trim().Split('\n'));
        Assert.Equal(before, await StateAsync());

        // A member does not see the panel's route, nor can remove it.
        var domain = Domain("hidden");
        await env.SucceedAsync(env.Client.AddPanelRouteAsync(new PanelRouteRequest { Domain = domain, Tls = "off" }));
        Assert.DoesNotContain(await member.ListRoutesAsync(), r => r.Domain == domain);
        var notFound = await Assert.ThrowsAsync<BerthApiException>(() => member.RemoveRouteAsync(domain));
        Assert.Equal((int)HttpStatusCode.NotFound, notFound.Status);
        await env.SucceedAsync(env.Client.RemoveRouteAsync(domain));
        Assert.DoesNotContain(await env.Client.ListRoutesAsync(), r => r.Domain == domain);
    }

    [Fact]
    public async Task PanelRoute_DomainConflictsRefusedBothWays_AndExecWebsocketPassesThrough()
    {
        var network = env.NetworkName("pconf");
        await env.SucceedAsync(env.Client.CreateNetworkAsync(new NetworkCreateRequest { Name = network, Subnet = env.NextSubnet(), Nat = true }));
        var web = env.Name("pcweb");
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = web, Image = "busybox", Network = network }));
        var containers = Domain("site");
        await env.SucceedAsync(env.Client.AddRouteAsync(new RouteRequest { Container = web, Domain = containers }));

        var before = await StateAsync();
        var taken = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.AddPanelRouteAsync(new PanelRouteRequest { Domain = containers, Tls = "off" }));
        Assert.Equal((int)HttpStatusCode.Conflict, taken.Status);
        Assert.Equal(before, await StateAsync());

        var panel = Domain("console");
        await env.SucceedAsync(env.Client.AddPanelRouteAsync(new PanelRouteRequest { Domain = panel, Tls = "off" }));
        var twice = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.AddPanelRouteAsync(new PanelRouteRequest { Domain = panel, Tls = "off" }));
        Assert.Equal((int)HttpStatusCode.Conflict, twice.Status);
        before = await StateAsync();
        foreach (var path in new[] { "/", "/app/" })
        {
            var refused = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.AddRouteAsync(new RouteRequest { Container = web, Domain = panel, Path = path }));
            Assert.Equal((int)HttpStatusCode.Conflict, refused.Status);
        }

        Assert.Equal(before, await StateAsync());
        Assert.Contains("<title>Berth", (await env.GetThroughProxyAsync(panel)).Body, StringComparison.Ordinal);

        // The exec websocket passes through the panel's route, with the session and the page's public origin.
        var proxyPort = env.ProxyHttpPort.ToString(CultureInfo.InvariantCulture);
        var origin = $"http://{panel}:{proxyPort}";
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, ConnectCallback = (_, ct) => ConnectAsync("127.0.0.1", env.ProxyHttpPort, ct) }) { BaseAddress = new Uri(origin + "/") };
        using var login = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/login") { Content = JsonContent.Create(new LoginRequest(Token: env.AdminToken), options: BerthJson.Options) };
        login.Headers.Add("Origin", origin);
        using var loggedIn = await http.SendAsync(login);
        Assert.True(loggedIn.StatusCode == HttpStatusCode.OK, await loggedIn.Content.ReadAsStringAsync());
        var session = Assert.Single(loggedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("berth_session=", StringComparison.Ordinal)).Split(';')[0];
        using (var socket = new System.Net.WebSockets.ClientWebSocket())
        using (var invoker = new HttpMessageInvoker(new SocketsHttpHandler { ConnectCallback = (_, ct) => ConnectAsync("127.0.0.1", env.ProxyHttpPort, ct) }))
        using (var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            socket.Options.SetRequestHeader("Cookie", session);
            socket.Options.SetRequestHeader("Origin", origin);
            await socket.ConnectAsync(new Uri($"ws://{panel}:{proxyPort}/api/v1/containers/{web}/exec?cmd=touch&cmd=/root/through-proxy"), invoker, guard.Token);
            var buffer = new byte[4096];
            while (socket.State == System.Net.WebSockets.WebSocketState.Open)
            {
                if ((await socket.ReceiveAsync(buffer, guard.Token)).MessageType == System.Net.WebSockets.WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, guard.Token);
                }
            }
        }

        Assert.Contains("through-proxy", (await env.ExecAsync(web, "ls", "/root")).Stdout, StringComparison.Ordinal);

        await env.SucceedAsync(env.Client.RemoveRouteAsync(panel));
        await env.SucceedAsync(env.Client.RemoveRouteAsync(containers));
    }

    private static IEnumerable<string> OpenFiles(int pid)
    {
        try
        {
            return [.. Directory.EnumerateFileSystemEntries($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/fd").Select(fd => new FileInfo(fd).LinkTarget ?? "")];
        }
        catch (IOException)
        {
            return []; // exited meanwhile
        }
    }

    /// <summary>Plain HTTP for <paramref name="domain"/> gets the proxy's 404, or nothing at all once nginx stopped with its last route.</summary>
    private async Task NotServedAsync(string domain)
    {
        try
        {
            Assert.Equal(HttpStatusCode.NotFound, (await env.GetThroughProxyAsync(domain)).Status);
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
        {
            Assert.Null(ProxyBerthEnvironment.NginxPid(env.ProxyDir));
        }
    }

    /// <summary>Every route and the live nginx configuration: what a refusal must leave as it was.</summary>
    private async Task<string> StateAsync()
    {
        var routes = await env.Client.ListRoutesAsync();
        var config = Path.Combine(env.ProxyDir, "nginx.conf");
        return string.Join('|', routes.Select(r => $"{r.Domain}{r.Path}>{r.Container}")) + "\n" + (File.Exists(config) ? await File.ReadAllTextAsync(config) : "");
    }

    private static HttpRequestMessage Change(string session, string origin, string? csrf, string pattern)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/domain-bans") { Content = JsonContent.Create(new DomainBanRequest { Pattern = pattern }, options: BerthJson.Options) };
        request.Headers.Add("Cookie", session);
        request.Headers.Add("Origin", origin);
        if (csrf is not null)
        {
            request.Headers.Add("X-Berth-Csrf", csrf);
        }

        return request;
    }

    /// <summary>A login to berthd's listener that claims, in every forwarded header and a made-up secret, to come through the proxy.</summary>
    private static HttpRequestMessage Login(LoginRequest body, string origin, string claimedClient = "6.6.6.6")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/login") { Content = JsonContent.Create(body, options: BerthJson.Options) };
        request.Headers.Add("Origin", origin);
        request.Headers.Add("X-Forwarded-For", claimedClient);
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "evil.example");
        request.Headers.Add("X-Forwarded-Port", "443");
        request.Headers.Add("X-Berth-Proxy-Secret", new string('0', 64));
        return request;
    }

    /// <summary>A client of nginx's HTTPS listener for <paramref name="domain"/>, connecting from <paramref name="source"/>, trusting the test CA only.</summary>
    private HttpClient Browser(string domain, string source)
    {
        var handler = new SocketsHttpHandler
        {
            UseCookies = false,
            ConnectCallback = (_, ct) => ConnectAsync(source, env.ProxyHttpsPort, ct),
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(Ca);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0 && certificate is X509Certificate2 c && chain.Build(c);
                },
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri($"https://{domain}:{HttpsPort}/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    private HttpClient Direct(string source) => new(new SocketsHttpHandler { UseCookies = false, ConnectCallback = (_, ct) => ConnectAsync(source, env.Port, ct) })
    {
        BaseAddress = env.BaseAddress,
        Timeout = TimeSpan.FromSeconds(30),
    };

    private static async ValueTask<Stream> ConnectAsync(string source, int port, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
            await socket.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task AddCertificateAsync(string name, string domain)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={domain}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(domain);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var leaf = request.Create(Ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(20), RandomNumberGenerator.GetBytes(8));
        var dir = Path.Combine(env.StateDir, "pem-" + name);
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "c.pem"), leaf.ExportCertificatePem() + "\n" + Ca.ExportCertificatePem());
        await File.WriteAllTextAsync(Path.Combine(dir, "k.pem"), key.ExportPkcs8PrivateKeyPem());
        var added = await CliRunner.RunAsync(env.StateDir, "cert", "add", name, "--cert", Path.Combine(dir, "c.pem"), "--key", Path.Combine(dir, "k.pem"));
        Assert.True(added.ExitCode == 0, added.Stderr + env.Daemon.Log);
    }

    private static X509Certificate2 MakeCa()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Berth panel route test CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-60), DateTimeOffset.UtcNow.AddDays(60));
    }
}

/// <summary>Without berthd's loopback HTTP listener there is nothing for the panel's route to go to: refused, nothing stored.</summary>
public sealed class PanelRouteWithoutHttpTests(ProxyBerthEnvironment env) : IClassFixture<ProxyBerthEnvironment>
{
    [Fact]
    public async Task PanelRoute_DaemonWithoutHttpListener_Refused()
    {
        var refused = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.AddPanelRouteAsync(new PanelRouteRequest { Domain = $"panel.{env.Prefix}.test", Tls = "off" }));
        Assert.Equal((int)HttpStatusCode.Conflict, refused.Status);
        Assert.Contains("HTTP listener", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await env.Client.ListRoutesAsync());
    }
}
