using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Audit;

/// <summary>A member's requests are recorded under their name and token name; members cannot read the log; no password or token is kept.</summary>
public sealed class AuditMemberTests(HttpBerthEnvironment env) : IClassFixture<HttpBerthEnvironment>
{
    [Fact]
    public async Task MemberRequests_AreRecordedUnderTheirNameAndToken_AndTheyCannotReadTheAudit()
    {
        var alice = env.Name("alice");
        var password = "pw-" + Guid.NewGuid().ToString("N");
        await env.Client.CreateUserAsync(new UserCreateRequest { Name = alice, Role = "member", Password = password });
        var token = await env.Client.CreateTokenAsync(alice, new TokenCreateRequest { Name = "laptop" });
        var rootOnly = env.Name("rootonly");
        await env.LaunchAsync(rootOnly, start: false);

        using var member = new BerthClient(env.BaseAddress, token.Token);
        var hidden = await Assert.ThrowsAsync<BerthApiException>(() => member.DeleteAsync(rootOnly, force: true));
        Assert.Equal(404, hidden.Status);
        var refused = await Assert.ThrowsAsync<BerthApiException>(() => member.ListAuditAsync());
        Assert.Equal(403, refused.Status);

        using var http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = env.BaseAddress };
        using (var wrong = await http.PostAsync("api/v1/auth/login", Json(new LoginRequest(User: alice, Password: password + "x"))))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using (var right = await http.PostAsync("api/v1/auth/login", Json(new LoginRequest(User: alice, Password: password))))
        {
            Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        }

        var entries = await env.Client.ListAuditAsync(user: alice, limit: 1000);
        var delete = Assert.Single(entries, e => e.Action == "container.delete");
        Assert.Equal((alice, "laptop", "127.0.0.1", rootOnly, 404), (delete.User, delete.Token, delete.Address, delete.Target, delete.Status));
        Assert.Contains(entries, e => e.Action == "auth.login" && e.Status == 401 && e.Target == alice);
        Assert.Contains(entries, e => e.Action == "auth.login" && e.Status == 200 && e.Target == alice);
        Assert.Contains(await env.Client.ListAuditAsync(limit: 1000), e => e.Action == "user.create" && e.Target == alice && e.User == "root");
        Assert.Contains(await env.Client.ListAuditAsync(limit: 1000), e => e.Action == "token.create" && e.Target == alice);
        Assert.DoesNotContain(entries, e => e.Action == "audit.get" || e.Method == "GET");

        using var raw = new HttpRequestMessage(HttpMethod.Get, "api/v1/audit?limit=10000");
        raw.Headers.Authorization = new AuthenticationHeaderValue("Bearer", env.AdminToken);
        var text = await (await http.SendAsync(raw)).Content.ReadAsStringAsync();
        Assert.Contains(alice, text, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Token, text, StringComparison.Ordinal);
        Assert.DoesNotContain(password, text, StringComparison.Ordinal);
        var stored = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(Path.Combine(env.StateDir, "berth.db")))
            + (File.Exists(Path.Combine(env.StateDir, "berth.db-wal")) ? Encoding.UTF8.GetString(await File.ReadAllBytesAsync(Path.Combine(env.StateDir, "berth.db-wal"))) : "");
        Assert.DoesNotContain(password, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Token, stored, StringComparison.Ordinal);
    }

    private static StringContent Json(LoginRequest request) =>
        new(JsonSerializer.Serialize(request, BerthJson.Options), Encoding.UTF8, "application/json");
}
