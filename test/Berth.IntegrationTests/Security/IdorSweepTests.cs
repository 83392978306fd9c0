using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Security;

/// <summary>
/// The sweep: every endpoint the daemon serves, called as member B against member A's objects, and with no token,
/// a revoked token and a read-only token. Each must be refused, and afterwards A's objects are as they were.
/// </summary>
public sealed class IdorSweepTests(IdorSweepTests.World world) : IClassFixture<IdorSweepTests.World>
{
    private const string Password = "sweep-password-1";

    /// <summary>Alice owns a container (with a snapshot, a forward, a route and an SSH key), Bob owns one; root owns one.</summary>
    public sealed class World : IAsyncLifetime
    {
        public Proxy.MemberProxyBerthEnvironment Env { get; } = new();
        public string Alice { get; private set; } = "";
        public string Bob { get; private set; } = "";
        public string AliceContainer { get; private set; } = "";
        public string RootContainer { get; private set; } = "";
        public string AliceJob { get; private set; } = "";
        public string BobToken { get; private set; } = "";
        public string BobReadOnly { get; private set; } = "";
        public string BobRevoked { get; private set; } = "";
        public string AliceToken { get; private set; } = "";
        public string AliceImage { get; private set; } = "";
        public int ForwardPort { get; private set; }
        public string BackupTarget { get; private set; } = "";
        public string AliceBackup { get; private set; } = "";
        public string AliceDomain { get; private set; } = "";
        public string AliceStack { get; private set; } = "";

        public async Task InitializeAsync()
        {
            await Env.InitializeAsync();
            Alice = Env.Name("alice");
            Bob = Env.Name("bob");
            await Env.Client.CreateUserAsync(new UserCreateRequest { Name = Alice, Role = "member", Password = Password });
            await Env.Client.CreateUserAsync(new UserCreateRequest { Name = Bob, Role = "member", Password = Password });
            AliceToken = (await Env.Client.CreateTokenAsync(Alice, new TokenCreateRequest { Name = "laptop" })).Token;
            BobToken = (await Env.Client.CreateTokenAsync(Bob, new TokenCreateRequest { Name = "laptop" })).Token;
            BobReadOnly = (await Env.Client.CreateTokenAsync(Bob, new TokenCreateRequest { Name = "viewer", ReadOnly = true })).Token;
            BobRevoked = (await Env.Client.CreateTokenAsync(Bob, new TokenCreateRequest { Name = "old" })).Token;
            await Env.Client.RevokeTokenAsync(Bob, "old");

            // Short enough to be a valid name of every object kind the route value fills (networks: 15 bytes), so a refusal is never a 400 for the name.
            AliceContainer = Env.Name("aw");
            RootContainer = Env.Name("rw");
            var network = Env.NetworkName("sweep");
            await Env.SucceedAsync(Env.Client.CreateNetworkAsync(new NetworkCreateRequest { Name = network, Subnet = Env.NextSubnet() }));
            var launch = await Env.SucceedAsync(Env.Client.LaunchAsync(new LaunchRequest { Name = AliceContainer, Image = "busybox", Owner = Alice, Network = network }));
            AliceJob = launch.Id;
            await Env.SucceedAsync(Env.Client.LaunchAsync(new LaunchRequest { Name = RootContainer, Image = "busybox", Network = network }));
            await Env.SucceedAsync(Env.Client.CreateSnapshotAsync(AliceContainer, new SnapshotCreateRequest { Name = "snap" }));
            using (var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                ForwardPort = ((IPEndPoint)probe.LocalEndpoint).Port;
            }

            await Env.SucceedAsync(Env.Client.AddForwardAsync(AliceContainer, new ForwardRequest { Ports = $"{ForwardPort}:80/tcp" }));
            BackupTarget = Env.Name("sweep");
            await Env.Client.AddBackupTargetAsync(new BackupTargetCreateRequest { Name = BackupTarget, Url = Path.Combine(Env.StateDir, "sweep-repo") });
            await Env.SucceedAsync(Env.Client.BackupAsync(AliceContainer, new BackupRunRequest()));
            AliceBackup = (await Env.Client.ListBackupsAsync(AliceContainer))[0].Id;
            AliceDomain = $"alice.{Env.MemberSuffix}";
            using var alice = new Berth.Client.BerthClient(Env.BaseAddress, AliceToken);
            await Env.SucceedAsync(alice.AddRouteAsync(new RouteRequest { Container = AliceContainer, Domain = AliceDomain }));

            // An image of her own, published from her snapshot through her token.
            AliceImage = Env.Name("aimage");
            await Env.SucceedAsync(alice.PublishImageAsync(new ImagePublishRequest { Container = AliceContainer, Snapshot = "snap", Alias = AliceImage }));

            // A stack of hers, brought up through her token: its container is "web", the {container} of the stack routes.
            AliceStack = Env.Name("as");
            var stackFile = $"name: {AliceStack}\nnetworks:\n  net: {{ subnet: {Env.NextSubnet()}, bridge: {Env.NetworkName("ast")} }}\ncontainers:\n  web: {{ image: busybox }}\n";
            var up = await alice.UpStackAsync(AliceStack, Stacks.StackTar.Pack(stackFile));
            await Env.SucceedAsync(Task.FromResult(up.Job!));
        }

        public async Task DisposeAsync() => await Env.DisposeAsync();
    }

    private HttpClient As(string? token)
    {
        var http = new HttpClient { BaseAddress = world.Env.BaseAddress };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return http;
    }

    /// <summary>Every non-open endpoint with its route filled in with Alice's (or root's) objects.</summary>
    private async Task<List<(string Method, string Path, string Permission)>> TargetsAsync(string container)
    {
        using var admin = As(world.Env.AdminToken);
        var endpoints = await admin.GetFromJsonAsync<List<EndpointInfo>>("api/v1/admin/endpoints", BerthJson.Options);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["{name}"] = container,
            ["{id}"] = world.AliceJob,
            ["{snapshot}"] = "snap",
            ["{protocol}"] = "tcp",
            ["{hostPort}"] = world.ForwardPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["{alias}"] = world.AliceImage,
            ["{which}"] = "key",
            ["{token}"] = "laptop",
            ["{domain}"] = world.AliceDomain,
            ["{pattern}"] = "example.test",
            ["{file}"] = "app.js",
            ["{documentName}"] = "v1",
            ["{target}"] = world.BackupTarget,
            ["{backup}"] = world.AliceBackup,
            ["{container}"] = "web",
        };
        var targets = new List<(string, string, string)>();
        foreach (var endpoint in endpoints!.Where(e => e.Permission != "open"))
        {
            var path = endpoint.Route;
            // Routes about users name Alice herself; the rest name her container.
            path = path.StartsWith("/api/v1/users/{name}", StringComparison.Ordinal) ? path.Replace("{name}", world.Alice, StringComparison.Ordinal) : path;
            path = path.StartsWith("/api/v1/stacks/{name}", StringComparison.Ordinal) ? path.Replace("{name}", world.AliceStack, StringComparison.Ordinal) : path;
            foreach (var (key, value) in values)
            {
                path = path.Replace(key, value, StringComparison.Ordinal);
            }

            Assert.False(path.Contains('{', StringComparison.Ordinal), $"no value for a parameter of {path}");
            foreach (var method in endpoint.Method.Split(','))
            {
                targets.Add((method, path.TrimStart('/'), endpoint.Permission));
            }
        }

        return targets;
    }

    private static HttpRequestMessage Request(string method, string path) => new(new HttpMethod(method), path)
    {
        Content = method is "GET" or "DELETE" ? null : new StringContent("{}", Encoding.UTF8, "application/json"),
    };

    /// <summary>Which answers mean "refused" for this caller: never a 2xx, and for objects named in the route never anything that tells they exist.</summary>
    private static bool RefusedAsMember(string permission, HttpStatusCode status) => permission switch
    {
        _ when permission.StartsWith("admin", StringComparison.Ordinal) => status == HttpStatusCode.Forbidden,
        _ when permission.Contains(" own ", StringComparison.Ordinal) => status == HttpStatusCode.NotFound,
        _ => (int)status is >= 400 and < 500 || (int)status is >= 200 and < 300,
    };

    [Fact]
    public async Task MemberB_OnEveryEndpoint_AgainstAlicesObjects_IsRefused_AndNothingChanges()
    {
        var before = await SnapshotOfAliceAsync();
        using var bob = As(world.BobToken);
        var failures = new List<string>();
        foreach (var container in new[] { world.AliceContainer, world.RootContainer })
        {
            foreach (var (method, path, permission) in await TargetsAsync(container))
            {
                // Endpoints that name no object (lists, launching her own) are Bob's to use; the sweep is about Alice's.
                if (!permission.Contains(" own ", StringComparison.Ordinal) && !permission.StartsWith("admin", StringComparison.Ordinal))
                {
                    continue;
                }

                using var response = await bob.SendAsync(Request(method, path));
                if (!RefusedAsMember(permission, response.StatusCode))
                {
                    failures.Add($"{method} {path} ({permission}) answered {(int)response.StatusCode}");
                }
            }
        }

        Assert.Empty(failures);
        Assert.Equal(before, await SnapshotOfAliceAsync());
    }

    [Fact]
    public async Task MemberB_WebsocketUpgrade_OnEveryGetOfAlicesObjects_Is404_AndNothingChanges()
    {
        // Exec and the console upgrade to websockets: the refusal must come before the upgrade, as for a plain GET.
        var before = await SnapshotOfAliceAsync();
        var failures = new List<string>();
        foreach (var container in new[] { world.AliceContainer, world.RootContainer })
        {
            foreach (var (method, path, permission) in await TargetsAsync(container))
            {
                if (method != "GET" || !permission.Contains(" own ", StringComparison.Ordinal))
                {
                    continue;
                }

                using var socket = new System.Net.WebSockets.ClientWebSocket();
                socket.Options.CollectHttpResponseDetails = true;
                socket.Options.SetRequestHeader("Authorization", $"Bearer {world.BobToken}");
                var url = new Uri(world.Env.BaseAddress, path.Contains("/exec", StringComparison.Ordinal) ? path + "?cmd=id" : path);
                try
                {
                    await socket.ConnectAsync(new Uri(url.ToString().Replace("http://", "ws://", StringComparison.Ordinal)), CancellationToken.None);
                    failures.Add($"GET {path} ({permission}) accepted Bob's websocket");
                }
                catch (System.Net.WebSockets.WebSocketException)
                {
                    if (socket.HttpStatusCode != HttpStatusCode.NotFound)
                    {
                        failures.Add($"GET {path} ({permission}) answered {(int)socket.HttpStatusCode} to Bob's websocket");
                    }
                }
            }
        }

        Assert.Empty(failures);
        Assert.Equal(before, await SnapshotOfAliceAsync());
    }

    [Theory]
    [InlineData("none")]
    [InlineData("revoked")]
    [InlineData("garbage")]
    public async Task NoValidToken_OnEveryEndpoint_Is401_AndNothingChanges(string which)
    {
        var before = await SnapshotOfAliceAsync();
        using var http = As(which switch { "revoked" => world.BobRevoked, "garbage" => "berth_x_y", _ => null });
        var failures = new List<string>();
        foreach (var (method, path, permission) in await TargetsAsync(world.AliceContainer))
        {
            using var response = await http.SendAsync(Request(method, path));
            if (response.StatusCode != HttpStatusCode.Unauthorized)
            {
                failures.Add($"{method} {path} ({permission}) answered {(int)response.StatusCode}");
            }
        }

        Assert.Empty(failures);
        Assert.Equal(before, await SnapshotOfAliceAsync());
    }

    [Fact]
    public async Task ReadOnlyToken_OnEveryChange_Is403_AndNothingChanges()
    {
        var before = await SnapshotOfAliceAsync();
        using var http = As(world.BobReadOnly);
        var failures = new List<string>();
        foreach (var (method, path, permission) in await TargetsAsync(world.AliceContainer))
        {
            if (!permission.Contains("changes", StringComparison.Ordinal))
            {
                continue;
            }

            using var response = await http.SendAsync(Request(method, path));
            if (response.StatusCode != HttpStatusCode.Forbidden)
            {
                failures.Add($"{method} {path} ({permission}) answered {(int)response.StatusCode}");
            }
        }

        Assert.Empty(failures);
        Assert.Equal(before, await SnapshotOfAliceAsync());
    }

    [Fact]
    public async Task MemberB_Lists_ShowNoneOfAlicesOrRootsObjects()
    {
        using var bob = As(world.BobToken);
        var containers = await bob.GetFromJsonAsync<List<ContainerInfo>>("api/v1/containers", BerthJson.Options);
        var jobs = await bob.GetFromJsonAsync<List<JobInfo>>("api/v1/jobs", BerthJson.Options);

        Assert.DoesNotContain(containers!, c => c.Name == world.AliceContainer || c.Name == world.RootContainer);
        Assert.Empty((await bob.GetFromJsonAsync<List<BackupInfo>>("api/v1/backups", BerthJson.Options))!);
        Assert.DoesNotContain(jobs!, j => j.Id == world.AliceJob || j.Target == world.AliceContainer || j.Target == world.RootContainer);
        var images = await bob.GetFromJsonAsync<List<ImageInfo>>("api/v1/images", BerthJson.Options);
        Assert.DoesNotContain(images!, i => i.Alias == world.AliceImage);

        Assert.Empty((await bob.GetFromJsonAsync<List<RouteInfo>>("api/v1/routes", BerthJson.Options))!);
        using (var rootsRoutes = await bob.GetAsync(new Uri($"api/v1/routes?container={world.AliceContainer}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, rootsRoutes.StatusCode);
        }

        var server = await bob.GetFromJsonAsync<ServerInfo>("api/v1", BerthJson.Options);
        Assert.Equal(("", "", ""), (server!.StateDir, server.LxcPath, server.IdMap));
        Assert.DoesNotContain(world.Env.StateDir, await bob.GetStringAsync(new Uri("api/v1", UriKind.Relative)), StringComparison.Ordinal);

        using var alice = As(world.AliceToken);
        var hers = await alice.GetFromJsonAsync<List<ContainerInfo>>("api/v1/containers", BerthJson.Options);
        Assert.Equal([$"{world.AliceStack}-web", world.AliceContainer], hers!.Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.All(hers!, c => Assert.Equal(world.Alice, c.Owner));
        Assert.Equal([world.AliceDomain], (await alice.GetFromJsonAsync<List<RouteInfo>>("api/v1/routes", BerthJson.Options))!.Select(r => r.Domain));
    }

    [Fact]
    public async Task MemberB_RoutingAlicesContainerOrDomain_Is404Or409_AndHerRouteStays()
    {
        var before = await SnapshotOfAliceAsync();
        using var bob = As(world.BobToken);
        foreach (var container in new[] { world.AliceContainer, world.RootContainer })
        {
            using var response = await bob.PostAsJsonAsync("api/v1/routes", new RouteRequest { Container = container, Domain = $"bob.{world.Env.MemberSuffix}" }, BerthJson.Options);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        using (var path = await bob.DeleteAsync(new Uri($"api/v1/routes/{world.AliceDomain}?path=/", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, path.StatusCode);
        }

        Assert.Equal(before, await SnapshotOfAliceAsync());
    }

    [Fact]
    public async Task MemberB_EveryStackRoute_NamesAlicesStack_AndHerUpIs404EvenWithAGoodFile()
    {
        var stackRoutes = (await TargetsAsync(world.AliceContainer)).Where(t => t.Path.StartsWith($"api/v1/stacks/{world.AliceStack}", StringComparison.Ordinal)).ToList();
        Assert.Contains(stackRoutes, t => t.Method == "POST" && t.Path.EndsWith("/up", StringComparison.Ordinal));
        Assert.All(stackRoutes, t => Assert.Contains(" own stack ", t.Permission, StringComparison.Ordinal));

        var before = await SnapshotOfAliceAsync();
        using var bob = new Berth.Client.BerthClient(world.Env.BaseAddress, world.BobToken);
        var takeover = $"name: {world.AliceStack}\ncontainers:\n  web: {{ image: busybox }}\n  evil: {{ image: busybox }}\n";
        Assert.Equal(404, (await Assert.ThrowsAsync<Berth.Client.BerthApiException>(() => bob.UpStackAsync(world.AliceStack, Stacks.StackTar.Pack(takeover)))).Status);
        Assert.Equal(404, (await Assert.ThrowsAsync<Berth.Client.BerthApiException>(() => bob.UpStackAsync(world.AliceStack, Stacks.StackTar.Pack(takeover), dryRun: true))).Status);
        Assert.DoesNotContain(await bob.ListStacksAsync(), s => s.Name == world.AliceStack);
        Assert.Equal(before, await SnapshotOfAliceAsync());
    }

    /// <summary>Alice's objects as the admin sees them, to compare before and after.</summary>
    private async Task<string> SnapshotOfAliceAsync()
    {
        var client = world.Env.Client;
        var container = await client.GetContainerAsync(world.AliceContainer);
        var snapshots = await client.ListSnapshotsAsync(world.AliceContainer);
        var forwards = await client.ListForwardsAsync(world.AliceContainer);
        var routes = await client.ListRoutesAsync(world.AliceContainer);
        var user = await client.GetUserAsync(world.Alice);
        var root = await client.GetContainerAsync(world.RootContainer);
        var backups = await client.ListBackupsAsync(world.AliceContainer);
        var targets = await client.ListBackupTargetsAsync();
        var image = await client.GetImageAsync(world.AliceImage);
        var stack = await client.GetStackAsync(world.AliceStack);
        return string.Join('|',
            string.Join(',', backups.Select(b => b.Id)), string.Join(',', targets.Select(t => t.Name)),
            container.Name, container.Status, container.Owner, string.Join(',', container.Config.Select(p => $"{p.Key}={p.Value}")),
            string.Join(',', snapshots.Select(s => s.Name)),
            string.Join(',', forwards.Select(f => $"{f.Protocol}:{f.HostPort}")),
            string.Join(',', routes.Select(r => $"{r.Domain}{r.Path}:{r.Owner}")),
            user.Name, user.Role, user.Disabled,
            root.Name, root.Status,
            image.Alias, image.Fingerprint,
            stack.Name, stack.Owner, string.Join(',', stack.Containers.Select(c => $"{c.Name}:{c.Status}")));
    }
}
