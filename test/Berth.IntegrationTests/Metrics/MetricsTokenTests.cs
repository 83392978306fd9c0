using System.Net;
using System.Net.Http.Json;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;
using Berth.IntegrationTests.Users;

namespace Berth.IntegrationTests.Metrics;

/// <summary>
/// Metrics-only tokens over the HTTP listener: an admin's scrapes every container's series from GET /metrics and is
/// refused (403, "limited to metrics") everywhere else, reads and changes alike; a member may not have one.
/// </summary>
public sealed class MetricsTokenTests(HttpBerthEnvironment env) : IClassFixture<HttpBerthEnvironment>
{
    [Fact]
    public async Task MetricsToken_ScrapesEveryContainer_AndIsRefusedEverywhereElse()
    {
        var admin = env.Name("ada");
        var member = env.Name("mo");
        await env.Client.CreateUserAsync(new UserCreateRequest { Name = admin, Role = "admin", Password = "metrics-password-1" });
        await env.Client.CreateUserAsync(new UserCreateRequest { Name = member, Role = "member", Password = "metrics-password-1" });
        var roots = env.Name("rts");
        var members = env.Name("mbr");
        await env.SucceedAsync(env.LaunchAsync(roots));
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = members, Image = "busybox", Owner = member }));

        var create = await CliRunner.RunAsync(env.StateDir, "token", "create", "prom", "--user", admin, "--scope", "metrics");
        Assert.True(create.ExitCode == 0, create.Stderr);
        Assert.Contains("metrics only", create.Stdout, StringComparison.Ordinal);
        var token = create.Stdout.TrimEnd('\n').Split('\n')[^1];
        var list = await CliRunner.RunAsync(env.StateDir, "token", "list", "--user", admin);
        Assert.True(list.ExitCode == 0, list.Stderr);
        Assert.Contains("SCOPE", list.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"prom\s+read-write\s+metrics", list.Stdout);
        Assert.Equal("metrics", Assert.Single(await env.Client.ListTokensAsync(admin)).Scope);

        using var http = UserHttp.Bearer(env, token);
        // A scrape is served from a reading up to a few seconds old: containers launched just now show in a later one.
        var text = "";
        for (var i = 0; i < 60 && !(text.Contains($"container=\"{roots}\"", StringComparison.Ordinal) && text.Contains($"container=\"{members}\"", StringComparison.Ordinal)); i++)
        {
            if (i > 0)
            {
                await Task.Delay(500);
            }

            using var scrape = await http.GetAsync("metrics");
            Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
            text = await scrape.Content.ReadAsStringAsync();
        }

        Assert.Contains($"container=\"{roots}\"", text, StringComparison.Ordinal);
        Assert.Contains($"container=\"{members}\"", text, StringComparison.Ordinal);

        foreach (var path in new[] { "api/v1/containers", $"api/v1/containers/{roots}", "api/v1/auth/whoami", $"api/v1/containers/{roots}/metrics" })
        {
            using var read = await http.GetAsync(path);
            Assert.True(read.StatusCode == HttpStatusCode.Forbidden, $"GET {path}: {read.StatusCode}");
            Assert.Contains("limited to metrics", (await UserHttp.ProblemAsync(read)).Detail, StringComparison.Ordinal);
        }

        using (var change = await http.PostAsJsonAsync($"api/v1/users/{admin}/tokens", new TokenCreateRequest { Name = "more" }, BerthJson.Options))
        {
            Assert.Equal(HttpStatusCode.Forbidden, change.StatusCode);
            Assert.Contains("limited to metrics", (await UserHttp.ProblemAsync(change)).Detail, StringComparison.Ordinal);
        }

        using (var stop = await http.PutAsJsonAsync($"api/v1/containers/{roots}/state", new StateChangeRequest { Action = "stop", Force = true }, BerthJson.Options))
        {
            Assert.Equal(HttpStatusCode.Forbidden, stop.StatusCode);
        }

        Assert.Equal(["prom"], (await env.Client.ListTokensAsync(admin)).Select(t => t.Name));
        Assert.Equal(ContainerStatus.Running, (await env.Client.GetContainerAsync(roots)).Status);
    }

    [Fact]
    public async Task MetricsToken_ForAMember_IsRefused_AndNothingIsMade()
    {
        var member = env.Name("mia");
        await env.Client.CreateUserAsync(new UserCreateRequest { Name = member, Role = "member", Password = "metrics-password-1" });

        var refused = await CliRunner.RunAsync(env.StateDir, "token", "create", "prom", "--user", member, "--scope", "metrics");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Single(refused.Stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains("only an admin's token may have scope metrics", refused.Stderr, StringComparison.Ordinal);

        var unknown = await CliRunner.RunAsync(env.StateDir, "token", "create", "prom", "--user", member, "--scope", "everything");
        Assert.NotEqual(0, unknown.ExitCode);

        using var http = UserHttp.Bearer(env, env.AdminToken);
        using var bad = await http.PostAsJsonAsync($"api/v1/users/{member}/tokens", new TokenCreateRequest { Name = "prom", Scope = "root" }, BerthJson.Options);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await env.Client.ListTokensAsync(member));

        // A full token of the member still works as before, and is not held to the scrape.
        var full = await env.Client.CreateTokenAsync(member, new TokenCreateRequest { Name = "laptop" });
        Assert.Equal("full", full.Info.Scope);
        using var memberHttp = UserHttp.Bearer(env, full.Token);
        Assert.Equal(HttpStatusCode.OK, (await memberHttp.GetAsync("api/v1/containers")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await memberHttp.GetAsync("metrics")).StatusCode);
    }
}
