using System.Net;
using System.Net.Http.Json;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Users;

/// <summary>Panel sessions opened with the admin token are stored like users' sessions: a restart keeps them, a new admin token ends them.</summary>
public sealed class RootSessionTests(HttpBerthEnvironment env) : IClassFixture<HttpBerthEnvironment>
{
    [Fact]
    public async Task AdminTokenSession_SurvivesARestart_AndANewAdminTokenEndsIt()
    {
        using var browser = UserHttp.Browser(env, "127.0.0.9");
        using (var login = await browser.PostAsJsonAsync("api/v1/auth/login", new LoginRequest(Token: env.AdminToken), BerthJson.Options))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("berth_session=", StringComparison.Ordinal)).Split(';')[0]["berth_session=".Length..];
            Assert.DoesNotContain(cookie, await DatabaseTextAsync(), StringComparison.Ordinal);
        }

        Assert.Equal("root", (await browser.GetFromJsonAsync<CallerInfo>("api/v1/auth/whoami", BerthJson.Options))!.Name);

        await env.Daemon.StopAsync();
        await env.StartDaemonAsync();
        Assert.Equal("root", (await browser.GetFromJsonAsync<CallerInfo>("api/v1/auth/whoami", BerthJson.Options))!.Name);

        // Rotating the token (a new admin.token, read at the next start) ends every session the old one opened.
        await env.Daemon.StopAsync();
        File.Delete(Path.Combine(env.StateDir, "admin.token"));
        await env.StartDaemonAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync(new Uri("api/v1/auth/whoami", UriKind.Relative))).StatusCode);
    }

    private async Task<string> DatabaseTextAsync()
    {
        var text = new System.Text.StringBuilder();
        foreach (var file in Directory.GetFiles(env.StateDir, "berth.db*"))
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, System.Text.Encoding.Latin1);
            text.Append(await reader.ReadToEndAsync());
        }

        return text.ToString();
    }
}
