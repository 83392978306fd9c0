using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Audit;

/// <summary>Every change and exec session lands in the audit log with who, what, target, result and job; secrets never do.</summary>
public sealed class AuditTests(HttpBerthEnvironment env) : IClassFixture<HttpBerthEnvironment>
{
    [Fact]
    public async Task Changes_OverHttpAndSocket_AreRecorded_WithWhoWhatTargetResultAndJob()
    {
        var network = env.NetworkName("au");
        await env.SucceedAsync(env.Client.CreateNetworkAsync(new NetworkCreateRequest { Name = network, Subnet = env.NextSubnet(), Nat = true }));
        using var http = new BerthClient(env.BaseAddress, env.AdminToken);
        var name = env.Name("audited");
        var launch = await env.SucceedAsync(http.LaunchAsync(new LaunchRequest { Name = name, Image = "busybox", Network = network }));
        var forward = await env.SucceedAsync(http.AddForwardAsync(name, new ForwardRequest { Ports = $"{System.Security.Cryptography.RandomNumberGenerator.GetInt32(30000, 40000)}:80/tcp" }));
        Assert.Equal(0, (await env.ExecAsync(name, "true")).ExitCode);
        var delete = await env.SucceedAsync(env.Client.DeleteAsync(name, force: true));

        var entries = (await env.Client.ListAuditAsync(limit: 1000)).ToList();

        var launched = Assert.Single(entries, e => e.Action == "container.launch" && e.Target == name);
        Assert.Equal(("root", "admin.token", "127.0.0.1", "POST", "/api/v1/containers", 202, launch.Id), (launched.User, launched.Token, launched.Address, launched.Method, launched.Path, launched.Status, launched.JobId));
        var forwarded = Assert.Single(entries, e => e.Action == "forward.add" && e.Target == name);
        Assert.Equal(("root", "admin.token", "127.0.0.1", 202, forward.Id), (forwarded.User, forwarded.Token, forwarded.Address, forwarded.Status, forwarded.JobId));
        var exec = Assert.Single(entries, e => e.Action == "container.exec" && e.Target == name);
        Assert.Equal(("root", null, "socket", "GET", 101), (exec.User, exec.Token, exec.Address, exec.Method, exec.Status));
        var deleted = Assert.Single(entries, e => e.Action == "container.delete" && e.Target == name);
        Assert.Equal(("root", null, "socket", "DELETE", $"/api/v1/containers/{name}", 202, delete.Id), (deleted.User, deleted.Token, deleted.Address, deleted.Method, deleted.Path, deleted.Status, deleted.JobId));
        Assert.Contains(entries, e => e.Action == "network.create" && e.Target == network && e.Address == "socket");

        // Newest first, and reads are not recorded.
        Assert.True(entries.IndexOf(deleted) < entries.IndexOf(launched));
        Assert.DoesNotContain(entries, e => e.Method == "GET" && e.Action != "container.exec");
        Assert.DoesNotContain("Could not record", env.Daemon.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusedRequests_AreRecorded_WithTheirStatus()
    {
        using var http = new HttpClient { BaseAddress = env.BaseAddress };
        var missing = env.Name("missing");
        using (var badName = Authorized(HttpMethod.Post, "api/v1/containers", """{"name":"Bad_Name!","image":"busybox"}"""))
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await http.SendAsync(badName)).StatusCode);
        }

        using (var notFound = Authorized(HttpMethod.Delete, $"api/v1/containers/{missing}", null))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await http.SendAsync(notFound)).StatusCode);
        }

        var anonymousTarget = env.Name("anon");
        using (var anonymous = await http.PostAsync($"api/v1/containers/{anonymousTarget}/rename", new StringContent("{}", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        var foreignTarget = env.Name("foreign");
        using (var foreign = new HttpRequestMessage(HttpMethod.Delete, $"api/v1/containers/{foreignTarget}"))
        {
            foreign.Headers.Add("Sec-Fetch-Site", "cross-site");
            Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(foreign)).StatusCode);
        }

        // A terminal escape in the path is kept visible, never raw: 'berth audit' prints it to an admin's terminal.
        using (var escape = Authorized(HttpMethod.Delete, $"api/v1/containers/{env.Prefix}%1B%5B2J", null))
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await http.SendAsync(escape)).StatusCode);
        }

        var entries = await env.Client.ListAuditAsync(limit: 1000);
        Assert.Contains(entries, e => e.Target == $"{env.Prefix}\\x1b[2J" && e.Status == 400);
        Assert.DoesNotContain(entries, e => (e.Target + e.Path).Any(char.IsControl));
        var refusedForeign = Assert.Single(entries, e => e.Target == foreignTarget);
        Assert.Equal((403, "Foreign origin"), (refusedForeign.Status, refusedForeign.Detail));
        var refusedLaunch = Assert.Single(entries, e => e.Action == "container.launch" && e.Target == "Bad_Name!");
        Assert.Equal(("root", "admin.token", 400), (refusedLaunch.User, refusedLaunch.Token, refusedLaunch.Status));
        Assert.Null(refusedLaunch.JobId);
        Assert.False(string.IsNullOrEmpty(refusedLaunch.Detail));
        var refusedDelete = Assert.Single(entries, e => e.Action == "container.delete" && e.Target == missing);
        Assert.Equal((404, "Container not found"), (refusedDelete.Status, refusedDelete.Detail));
        var unauthenticated = Assert.Single(entries, e => e.Target == anonymousTarget);
        Assert.Equal(("container.rename", 401, null, null, "127.0.0.1"), (unauthenticated.Action, unauthenticated.Status, unauthenticated.User, unauthenticated.Token, unauthenticated.Address));
        Assert.Equal("Authentication required", unauthenticated.Detail);
    }

    [Fact]
    public async Task Logins_AreRecorded_AndTheAuditNeverHoldsTheTokenOrAPassword()
    {
        const string Password = "correct-horse-battery-staple-71";
        using var handler = new HttpClientHandler { UseCookies = false };
        using var http = new HttpClient(handler) { BaseAddress = env.BaseAddress };
        using (var wrong = await http.PostAsync("api/v1/auth/login", new StringContent($$"""{"token":"{{Password}}"}""", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using (var right = await http.PostAsync("api/v1/auth/login", new StringContent(JsonSerializer.Serialize(new LoginRequest(env.AdminToken), BerthJson.Options), Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        }

        // A change carrying the token in the query string too: the query is never kept.
        using (var queried = Authorized(HttpMethod.Delete, $"api/v1/containers/{env.Name("q")}?token={Password}&force=true", null))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await http.SendAsync(queried)).StatusCode);
        }

        var logins = (await env.Client.ListAuditAsync(limit: 1000)).Where(e => e.Action == "auth.login").ToList();
        Assert.Contains(logins, e => e.Status == 401 && e.Detail == "Wrong token" && e.Address == "127.0.0.1");
        Assert.Contains(logins, e => e.Status == 200);

        using var raw = Authorized(HttpMethod.Get, "api/v1/audit?limit=10000", null);
        using var response = await http.SendAsync(raw);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("auth.login", text, StringComparison.Ordinal);
        Assert.DoesNotContain(env.AdminToken, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
        var database = await File.ReadAllBytesAsync(Path.Combine(env.StateDir, "berth.db"));
        var wal = Path.Combine(env.StateDir, "berth.db-wal");
        var stored = Encoding.UTF8.GetString(database) + (File.Exists(wal) ? Encoding.UTF8.GetString(await File.ReadAllBytesAsync(wal)) : "");
        Assert.DoesNotContain(Password, stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filters_UserSinceAndLimit_SelectTheRecords()
    {
        var alice = env.Name("alice");
        var bob = env.Name("bob");
        var now = DateTimeOffset.UtcNow;
        await AuditRows.InsertAsync(env.StateDir, $"{alice}-old", now.AddDays(-3), alice);
        await AuditRows.InsertAsync(env.StateDir, $"{alice}-new", now.AddHours(-1), alice);
        await AuditRows.InsertAsync(env.StateDir, $"{bob}-new", now.AddMinutes(-30), bob);

        Assert.Equal([$"{alice}-new", $"{alice}-old"], (await env.Client.ListAuditAsync(user: alice)).Select(e => e.Id));
        Assert.Equal([$"{alice}-new"], (await env.Client.ListAuditAsync(user: alice, since: "1d")).Select(e => e.Id));
        Assert.Equal([$"{alice}-new"], (await env.Client.ListAuditAsync(user: alice, since: now.AddDays(-2).ToString("O"))).Select(e => e.Id));
        Assert.Equal([$"{alice}-new"], (await env.Client.ListAuditAsync(user: alice, limit: 1)).Select(e => e.Id));
        Assert.DoesNotContain((await env.Client.ListAuditAsync(since: "2d", limit: 10000)), e => e.Id == $"{alice}-old");

        var bad = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.ListAuditAsync(since: "yesterday"));
        Assert.Equal((400, "Invalid since"), (bad.Status, bad.Title));
    }

    [Fact]
    public async Task Cli_PrintsTheTable_AndJson_WithItsFilters()
    {
        var carol = env.Name("carol");
        await AuditRows.InsertAsync(env.StateDir, $"{carol}-old", DateTimeOffset.UtcNow.AddDays(-5), carol, "forward.add", $"{carol}-c1");
        await AuditRows.InsertAsync(env.StateDir, $"{carol}-new", DateTimeOffset.UtcNow.AddMinutes(-5), carol, "container.launch", $"{carol}-c2");

        var table = await CliRunner.RunAsync(env.StateDir, "audit", "--user", carol);
        Assert.True(table.ExitCode == 0, table.ToString());
        var lines = table.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches("^TIME +USER +TOKEN +ADDRESS +ACTION +TARGET +RESULT +JOB$", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.Matches($"^[0-9-]+ [0-9:]+ +{carol} +- +127.0.0.1 +container.launch +{carol}-c2 +202 +-$", lines[1]);

        var recent = await CliRunner.RunAsync(env.StateDir, "audit", "--user", carol, "--since", "1d", "--format", "json");
        Assert.True(recent.ExitCode == 0, recent.ToString());
        var entries = JsonSerializer.Deserialize<AuditEntry[]>(recent.Stdout, BerthJson.Options)!;
        Assert.Equal([$"{carol}-new"], entries.Select(e => e.Id));

        var refused = await CliRunner.RunAsync(env.StateDir, "audit", "--since", "soon");
        Assert.Equal(1, refused.ExitCode);
        Assert.Single(refused.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("since", refused.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditEndpoint_IsDeclaredForAdminsOnly_AndRefusedWithoutCredentials()
    {
        using var http = new HttpClient { BaseAddress = env.BaseAddress };
        using var list = Authorized(HttpMethod.Get, "api/v1/admin/endpoints", null);
        var endpoints = JsonSerializer.Deserialize<List<EndpointInfo>>(await (await http.SendAsync(list)).Content.ReadAsStringAsync(), BerthJson.Options)!;
        Assert.Equal("admin reads", Assert.Single(endpoints, e => e.Method == "GET" && e.Route == "/api/v1/audit").Permission);

        using var anonymous = await http.GetAsync(new Uri("api/v1/audit", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    private HttpRequestMessage Authorized(HttpMethod method, string path, string? json)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", env.AdminToken);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return request;
    }
}
