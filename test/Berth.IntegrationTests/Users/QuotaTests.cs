using System.Net;
using System.Net.Http.Json;
using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Berth.IntegrationTests.Users;

/// <summary>Quotas over a real daemon's HTTP listener, with a member's token: refused beyond the limit, nothing left behind.</summary>
public sealed class QuotaTests(HttpBerthEnvironment env) : IClassFixture<HttpBerthEnvironment>
{
    private async Task<(string User, BerthClient Client)> MemberAsync(string hint, params string[] quota)
    {
        var name = env.Name(hint);
        await env.Client.CreateUserAsync(new UserCreateRequest { Name = name, Role = "member", Password = "a-good-password-1" });
        var token = (await env.Client.CreateTokenAsync(name, new TokenCreateRequest { Name = "cli" })).Token;
        await env.Client.UpdateQuotaAsync(name, new QuotaUpdateRequest { Set = quota.Select(q => q.Split('=')).ToDictionary(p => p[0], p => p[1]) });
        return (name, new BerthClient(env.BaseAddress, token));
    }

    private async Task<string> NetworkAsync(string hint)
    {
        var network = env.NetworkName(hint);
        await env.SucceedAsync(env.Client.CreateNetworkAsync(new NetworkCreateRequest { Name = network, Subnet = env.NextSubnet() }));
        return network;
    }

    private async Task<long> CountAsync(string sql, string like)
    {
        await using var db = new SqliteConnection($"Data Source={Path.Combine(env.StateDir, "berth.db")};Mode=ReadOnly");
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("@like", like + "%");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static void AssertQuotaProblem(BerthApiException ex, string resource, string usage)
    {
        Assert.Equal(403, ex.Status);
        Assert.Equal("Quota exceeded", ex.Title);
        Assert.Contains($"quota {resource} of", ex.Detail, StringComparison.Ordinal);
        Assert.Contains(usage, ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ParallelLaunches_ByAMemberWithContainers3_CreateExactlyThree_TheRestLeaveNothing()
    {
        var (user, member) = await MemberAsync("race", "containers=3");
        using var _ = member;
        var network = await NetworkAsync("qrace");
        var prefix = env.Name("race-c");
        var launches = Enumerable.Range(0, 20).Select(async i =>
        {
            try
            {
                return (Job: await member.LaunchAsync(new LaunchRequest { Name = $"{prefix}{i}", Image = "busybox", Start = false, Network = network }), Refusal: (BerthApiException?)null);
            }
            catch (BerthApiException ex)
            {
                return (Job: (JobInfo?)null, Refusal: ex);
            }
        }).ToList();
        var results = await Task.WhenAll(launches);

        var accepted = results.Where(r => r.Job is not null).ToList();
        Assert.Equal(3, accepted.Count);
        foreach (var refusal in results.Select(r => r.Refusal).OfType<BerthApiException>())
        {
            AssertQuotaProblem(refusal, "containers", "3 used of 3");
        }

        foreach (var job in accepted)
        {
            Assert.Equal(JobStatus.Succeeded, (await member.WaitForJobAsync(job.Job!)).Status);
        }

        // Only the three: no row, no LXC directory, no address lease, no job for any refused one.
        var names = accepted.Select(a => a.Job!.Target).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(names, (await env.Client.ListContainersAsync()).Select(c => c.Name).Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Equal(names, Directory.GetDirectories(env.LxcPath).Select(Path.GetFileName).OfType<string>().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Equal(3, await CountAsync("SELECT COUNT(*) FROM leases WHERE container LIKE @like", prefix));
        Assert.Equal(3, await CountAsync("SELECT COUNT(*) FROM jobs WHERE target LIKE @like", prefix));
        var quota = await env.Client.GetQuotaAsync(user);
        Assert.Equal(3, quota.Items.Single(i => i.Resource == "containers").Used);
        Assert.Equal(3, quota.Items.Single(i => i.Resource == "containers").Limit);
    }

    [Fact]
    public async Task MemoryQuota_RefusesALaunchBeyondTheSum_ALaunchWithoutTheLimit_AndARaiseByConfig()
    {
        var (user, member) = await MemberAsync("mem", "memory=512MiB");
        using var _ = member;
        var first = env.Name("mem-a");
        await env.SucceedAsync(member.LaunchAsync(new LaunchRequest { Name = first, Image = "busybox", Start = false, Config = new Dictionary<string, string> { ["limits.memory"] = "384MiB" } }));

        var beyond = await Assert.ThrowsAsync<BerthApiException>(() => member.LaunchAsync(new LaunchRequest { Name = env.Name("mem-b"), Image = "busybox", Start = false, Config = new Dictionary<string, string> { ["limits.memory"] = "256MiB" } }));
        AssertQuotaProblem(beyond, "memory", "384MiB used of 512MiB, this needs 256MiB more");

        var unbounded = await Assert.ThrowsAsync<BerthApiException>(() => member.LaunchAsync(new LaunchRequest { Name = env.Name("mem-c"), Image = "busybox", Start = false }));
        Assert.Equal(403, unbounded.Status);
        Assert.Equal("Limit required", unbounded.Title);
        Assert.Contains("limits.memory to at most 128MiB", unbounded.Detail, StringComparison.Ordinal);

        var raise = await Assert.ThrowsAsync<BerthApiException>(() => member.UpdateConfigAsync(first, new ConfigUpdateRequest { Set = new Dictionary<string, string> { ["limits.memory"] = "1GiB" } }));
        AssertQuotaProblem(raise, "memory", "0 used of 512MiB, this needs 1GiB more");
        Assert.Equal("384MiB", (await env.Client.GetConfigAsync(first)).Config["limits.memory"]);

        // Within the rest of the quota both work; lowering is always allowed.
        await env.SucceedAsync(member.LaunchAsync(new LaunchRequest { Name = env.Name("mem-d"), Image = "busybox", Start = false, Config = new Dictionary<string, string> { ["limits.memory"] = "128MiB" } }));
        await env.SucceedAsync(member.UpdateConfigAsync(first, new ConfigUpdateRequest { Set = new Dictionary<string, string> { ["limits.memory"] = "256MiB" } }));
        Assert.DoesNotContain(await env.Client.ListContainersAsync(), c => c.Name == env.Name("mem-b") || c.Name == env.Name("mem-c"));
        Assert.Equal(384L * 1024 * 1024, (await env.Client.GetQuotaAsync(user)).Items.Single(i => i.Resource == "memory").Used);
    }

    [Fact]
    public async Task ForwardSshAndSnapshotQuotas_RefuseTheOneBeyondTheLimit()
    {
        var (_, member) = await MemberAsync("fwd", "forwards=1", "ssh=0", "snapshots=1");
        using var _ = member;
        var network = await NetworkAsync("qfwd");
        var container = env.Name("fwd-a");
        await env.SucceedAsync(member.LaunchAsync(new LaunchRequest { Name = container, Image = "busybox", Start = false, Network = network }));
        var port = FreeMemberPortPair();

        await env.SucceedAsync(member.AddForwardAsync(container, new ForwardRequest { Ports = $"{port}:80/tcp" }));
        var second = await Assert.ThrowsAsync<BerthApiException>(() => member.AddForwardAsync(container, new ForwardRequest { Ports = $"{port + 1}:81/tcp" }));
        AssertQuotaProblem(second, "forwards", "1 used of 1");

        var ssh = await Assert.ThrowsAsync<BerthApiException>(() => member.EnableSshAsync(container));
        AssertQuotaProblem(ssh, "ssh", "0 used of 0");

        await env.SucceedAsync(member.CreateSnapshotAsync(container, new SnapshotCreateRequest { Name = "s1" }));
        var snapshot = await Assert.ThrowsAsync<BerthApiException>(() => member.CreateSnapshotAsync(container, new SnapshotCreateRequest { Name = "s2" }));
        AssertQuotaProblem(snapshot, "snapshots", "1 used of 1");

        Assert.Equal([port], (await env.Client.ListForwardsAsync(container)).Select(f => f.HostPort));
        Assert.Equal(["s1"], (await env.Client.ListSnapshotsAsync(container)).Select(s => s.Name));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM jobs WHERE target LIKE @like AND kind LIKE '%snapshot%' AND args LIKE '%s2%'", container));
    }

    [Fact]
    public async Task ParallelSnapshots_OfAMemberNeverExceedTheQuota()
    {
        var (_, member) = await MemberAsync("snaps", "snapshots=2");
        using var _ = member;
        var container = env.Name("snaps-a");
        await env.SucceedAsync(member.LaunchAsync(new LaunchRequest { Name = container, Image = "busybox", Start = false }));

        // Some are refused at once, some by their job (the insert's transaction): either way only two are kept.
        var attempts = await Task.WhenAll(Enumerable.Range(0, 6).Select(async i =>
        {
            try
            {
                return (await member.WaitForJobAsync(await member.CreateSnapshotAsync(container, new SnapshotCreateRequest { Name = $"p{i}" }))).Status == JobStatus.Succeeded;
            }
            catch (BerthApiException ex)
            {
                AssertQuotaProblem(ex, "snapshots", "2 used of 2");
                return false;
            }
        }));

        Assert.Equal(2, attempts.Count(ok => ok));
        Assert.Equal(2, (await env.Client.ListSnapshotsAsync(container)).Count);
    }

    [Fact]
    public async Task Admins_AreNotLimited_AndWhatTheyLaunchForAMemberCounts()
    {
        var (user, member) = await MemberAsync("adm", "containers=1");
        using var _ = member;
        var admin = env.Name("adm-admin");
        await env.Client.CreateUserAsync(new UserCreateRequest { Name = admin, Role = "admin", Password = "a-good-password-1" });
        await env.Client.UpdateQuotaAsync(admin, new QuotaUpdateRequest { Set = new Dictionary<string, string> { ["containers"] = "0" } });
        using var adminClient = new BerthClient(env.BaseAddress, (await env.Client.CreateTokenAsync(admin, new TokenCreateRequest { Name = "cli" })).Token);

        // An admin user with a quota of 0, and root beyond the member's quota: both are served.
        await env.SucceedAsync(adminClient.LaunchAsync(new LaunchRequest { Name = env.Name("adm-own"), Image = "busybox", Start = false }));
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = env.Name("adm-for1"), Image = "busybox", Start = false, Owner = user }));
        await env.SucceedAsync(adminClient.LaunchAsync(new LaunchRequest { Name = env.Name("adm-for2"), Image = "busybox", Start = false, Owner = user }));

        var quota = await member.GetQuotaAsync(user);
        Assert.Equal(2, quota.Items.Single(i => i.Resource == "containers").Used);
        var refused = await Assert.ThrowsAsync<BerthApiException>(() => member.LaunchAsync(new LaunchRequest { Name = env.Name("adm-mine"), Image = "busybox", Start = false }));
        AssertQuotaProblem(refused, "containers", "2 used of 1");

        // A copy is a new container too, and counts alike.
        var copy = await Assert.ThrowsAsync<BerthApiException>(() => member.CopyAsync(env.Name("adm-for1"), new CopyRequest { Target = env.Name("adm-copy") }));
        AssertQuotaProblem(copy, "containers", "2 used of 1");
        Assert.DoesNotContain(await env.Client.ListContainersAsync(), c => c.Name == env.Name("adm-copy"));

        // A member may read its own quota but never change it.
        var change = await Assert.ThrowsAsync<BerthApiException>(() => member.UpdateQuotaAsync(user, new QuotaUpdateRequest { Set = new Dictionary<string, string> { ["containers"] = "50" } }));
        Assert.Equal(403, change.Status);
        Assert.Equal(1, (await env.Client.GetQuotaAsync(user)).Items.Single(i => i.Resource == "containers").Limit);
    }

    [Fact]
    public async Task Cli_UserQuotaSetsAndRemovesLimits_UserShowPrintsUsageAgainstThem()
    {
        var (user, member) = await MemberAsync("cli", "containers=4");
        using var _ = member;
        await env.SucceedAsync(member.LaunchAsync(new LaunchRequest { Name = env.Name("cli-a"), Image = "busybox", Start = false, Config = new Dictionary<string, string> { ["limits.memory"] = "256MiB", ["limits.cpu"] = "0-1" } }));

        var set = await CliRunner.RunAsync(env.StateDir, "user", "quota", user, "memory=2GiB", "cpu=2", "snapshots=20", "containers=");
        Assert.True(set.ExitCode == 0, set.Stderr);
        var unset = await CliRunner.RunAsync(env.StateDir, "user", "quota", user, "--unset", "snapshots");
        Assert.True(unset.ExitCode == 0, unset.Stderr);

        var show = await CliRunner.RunAsync(env.StateDir, "user", "show", user);
        Assert.True(show.ExitCode == 0, show.Stderr);
        Assert.Contains("containers: 1 of unlimited", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("memory:     256 MiB of 2 GiB", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("cpu:        2 of 2", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("disk:       unbounded (" + env.Name("cli-a") + " sets no limit) of unlimited", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("snapshots:  0 of unlimited", show.Stdout, StringComparison.Ordinal);

        // The API answers the same, also on GET /users/{name}.
        using var http = new HttpClient { BaseAddress = env.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", env.AdminToken);
        var info = await http.GetFromJsonAsync<UserInfo>($"api/v1/users/{user}", BerthJson.Options);
        Assert.Equal(2L * 1024 * 1024 * 1024, info!.Quota!.Items.Single(i => i.Resource == "memory").Limit);

        // A bad key or value: one line, non-zero, nothing changed.
        var bad = await CliRunner.RunAsync(env.StateDir, "user", "quota", user, "memory=lots", "bogus=1");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Single(bad.Stderr.Trim().Split('\n'));
        Assert.Contains("memory=lots", bad.Stderr, StringComparison.Ordinal);
        Assert.Contains("unknown quota 'bogus'", bad.Stderr, StringComparison.Ordinal);
        Assert.Equal(2L * 1024 * 1024 * 1024, (await env.Client.GetQuotaAsync(user)).Items.Single(i => i.Resource == "memory").Limit);
        using var response = await http.PatchAsJsonAsync($"api/v1/users/{user}/quota", new QuotaUpdateRequest { Set = new Dictionary<string, string> { ["cpu"] = "-1" } }, BerthJson.Options);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    /// <summary>Two free host ports in a row inside the default member range (30000-39999), where members may forward.</summary>
    private static int FreeMemberPortPair()
    {
        for (var port = 30000 + Random.Shared.Next(0, 9000); port < 39998; port++)
        {
            if (Free(port) && Free(port + 1))
            {
                return port;
            }
        }

        throw new InvalidOperationException("no two free ports in a row in 30000-39999");

        static bool Free(int port)
        {
            try
            {
                using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Any, port);
                probe.Start();
                return true;
            }
            catch (System.Net.Sockets.SocketException)
            {
                return false;
            }
        }
    }
}
