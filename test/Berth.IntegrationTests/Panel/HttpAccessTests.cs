using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Panel;

/// <summary>Over HTTP nothing happens without the admin token or a panel session, and a session cannot be ridden by a foreign page.</summary>
public sealed class HttpAccessTests(HttpBerthEnvironment env) : IClassFixture<HttpBerthEnvironment>
{
    [Fact]
    public async Task Api_WithoutCredentials_Is401_WithToken_Works()
    {
        using var http = new HttpClient { BaseAddress = env.BaseAddress };
        using var anonymous = await http.GetAsync("api/v1/containers");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);

        using var wrong = new HttpRequestMessage(HttpMethod.Get, "api/v1/containers");
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(wrong)).StatusCode);

        using var right = new HttpRequestMessage(HttpMethod.Get, "api/v1/containers");
        right.Headers.Authorization = new AuthenticationHeaderValue("Bearer", env.AdminToken);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(right)).StatusCode);
    }

    [Theory]
    [InlineData("POST", "api/v1/images/publish", "{}", "application/json", 400, "missing required properties including: 'container', 'alias'")]
    [InlineData("POST", "api/v1/images/publish", "not json", "application/json", 400, "invalid JSON")]
    [InlineData("POST", "api/v1/images/publish", "x", "text/plain", 415, "Content-Type: application/json")]
    [InlineData("GET", "api/v1/jobs/x?wait=abc", null, null, 400, "wait")]
    [InlineData("PUT", "api/v1/images/publish", null, null, 405, "does not take PUT")]
    [InlineData("GET", "api/v1/no-such-thing", null, null, 404, "there is no GET")]
    public async Task Api_UnreadableRequest_AnswersAProblemSayingWhatWasWrong(string method, string path, string? body, string? mediaType, int status, string says)
    {
        using var http = new HttpClient { BaseAddress = env.BaseAddress };
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", env.AdminToken);
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, mediaType!);
        }

        using var response = await http.SendAsync(request);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ProblemInfo>(BerthJson.Options);
        Assert.Equal(status, problem!.Status);
        Assert.Contains(says, problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SessionCookie_ChangeWithoutCsrfHeader_IsRefused_WithHeader_IsAccepted()
    {
        var name = env.Name("csrf");
        await env.LaunchAsync(name);
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer() };
        using var http = new HttpClient(handler) { BaseAddress = env.BaseAddress };
        using var login = await http.PostAsJsonAsync("api/v1/auth/login", new LoginRequest(env.AdminToken));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var session = await login.Content.ReadFromJsonAsync<SessionInfo>(BerthJson.Options);
        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("berth_session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        // Reading with the cookie is fine; a change without the CSRF header is what a forged form would send.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("api/v1/containers")).StatusCode);
        using var forged = await http.PutAsJsonAsync($"api/v1/containers/{name}/state", new StateChangeRequest { Action = "stop", Force = true });
        Assert.True(forged.StatusCode == HttpStatusCode.Forbidden, $"forged change answered {forged.StatusCode}: {await forged.Content.ReadAsStringAsync()}");
        Assert.Equal(ContainerStatus.Running, (await env.Client.GetContainerAsync(name)).Status);

        using var genuine = new HttpRequestMessage(HttpMethod.Put, $"api/v1/containers/{name}/state")
        {
            Content = JsonContent.Create(new StateChangeRequest { Action = "stop", Force = true }),
        };
        genuine.Headers.Add("X-Berth-Csrf", session!.CsrfToken);
        using var accepted = await http.SendAsync(genuine);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);

        // Logging out is a change too: a foreign page cannot force it.
        Assert.Equal(HttpStatusCode.Forbidden, (await http.PostAsync("api/v1/auth/logout", null)).StatusCode);
        using var logout = new HttpRequestMessage(HttpMethod.Post, "api/v1/auth/logout");
        logout.Headers.Add("X-Berth-Csrf", session.CsrfToken);
        Assert.Equal(HttpStatusCode.NoContent, (await http.SendAsync(logout)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("api/v1/containers")).StatusCode);
    }

    [Fact]
    public async Task Login_FiftyWrongTokensFromLoopback_AreRefused_YetTheOwnersRightTokenGetsIn()
    {
        // Every local user shares 127.0.0.1: a guesser there must not lock the owner out. A daemon of its own, so its counts are its own.
        await using var own = new HttpBerthEnvironment();
        await own.InitializeAsync();
        using var usualHandler = new HttpClientHandler { CookieContainer = new CookieContainer() };
        using var usualBrowser = new HttpClient(usualHandler) { BaseAddress = own.BaseAddress };
        using (var first = await usualBrowser.PostAsJsonAsync("api/v1/auth/login", new LoginRequest(own.AdminToken)))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var guesser = new HttpClient { BaseAddress = own.BaseAddress };
        var throttled = 0;
        for (var i = 0; i < 50; i++)
        {
            using var guess = await guesser.PostAsJsonAsync("api/v1/auth/login", new LoginRequest("guess" + i));
            Assert.True(guess.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests, $"guess {i} answered {guess.StatusCode}");
            if (guess.StatusCode == HttpStatusCode.TooManyRequests)
            {
                throttled++;
                Assert.Equal("application/problem+json", guess.Content.Headers.ContentType?.MediaType);
                Assert.NotNull(guess.Headers.RetryAfter?.Delta);
            }
        }

        Assert.True(throttled > 0, "fifty wrong tokens in a row were all checked");

        // The browser that logged in before carries its device cookie and is not held back at all.
        using (var again = await usualBrowser.PostAsJsonAsync("api/v1/auth/login", new LoginRequest(own.AdminToken)))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        // A new browser follows Retry-After, which stays bounded however many guesses came before.
        using var newBrowser = new HttpClient { BaseAddress = own.BaseAddress };
        HttpResponseMessage? login = null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            login?.Dispose();
            login = await newBrowser.PostAsJsonAsync("api/v1/auth/login", new LoginRequest(own.AdminToken));
            if (login.StatusCode != HttpStatusCode.TooManyRequests)
            {
                break;
            }

            var wait = login.Headers.RetryAfter!.Delta!.Value;
            Assert.True(wait <= TimeSpan.FromSeconds(30), $"Retry-After {wait}");
            await Task.Delay(wait);
        }

        using (login)
        {
            Assert.Equal(HttpStatusCode.OK, login!.StatusCode);
            Assert.Contains(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith("berth_session=", StringComparison.Ordinal));
        }

        // And wrong guesses are still refused afterwards.
        using var after = await guesser.PostAsJsonAsync("api/v1/auth/login", new LoginRequest("guess-after"));
        Assert.True(after.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests, after.StatusCode.ToString());
    }

    [Fact]
    public async Task UnixSocket_IsRootOnly_AndTokenFileIsSecret()
    {
        var socket = new FileInfo(Path.Combine(env.StateDir, "unix.socket"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, socket.UnixFileMode);
        var token = new FileInfo(Path.Combine(env.StateDir, "admin.token"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, token.UnixFileMode);
        Assert.DoesNotContain(env.AdminToken, env.Daemon.Log, StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Daemon_RefusesNonLoopbackHttpAddress()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"berth-it-{TestHost.RunId}-nonloop");
        Directory.CreateDirectory(dir);
        try
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => DaemonProcess.StartAsync(dir, "--nft-table", $"b{TestHost.RunId}nonloop", "--http", "0.0.0.0:18999"));
            Assert.Contains("loopback", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
