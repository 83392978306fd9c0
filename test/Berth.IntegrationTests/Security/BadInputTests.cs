using System.Formats.Tar;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Berth.IntegrationTests.Security;

/// <summary>
/// Drives a real daemon over its socket with bad input of every kind (names, images, config, subnets, ports, keys,
/// archives, bodies, paths). Each must be refused with a 4xx problem that says what was wrong (a job, for checks
/// that only an import job can make, must fail with a message); none may be accepted or crash the daemon, and after
/// the sweep nothing has changed: no container, network, forward, pool, image, snapshot, directory or rule.
/// </summary>
public sealed class BadInputTests(NetworkBerthEnvironment env, ITestOutputHelper output) : IClassFixture<NetworkBerthEnvironment>
{
    private sealed record BadInput(string Category, string Method, string Path, string? Body, string ContentType = "application/json")
    {
        public override string ToString() => $"[{Category}] {Method} {Truncate(Path)} {Truncate(Body)}";
    }

    [Fact]
    public async Task EveryBadInput_IsRefusedWithAProblem_AndChangesNothing()
    {
        var network = env.NetworkName("bi");
        await env.SucceedAsync(env.Client.CreateNetworkAsync(new NetworkCreateRequest { Name = network, Subnet = env.NextSubnet() }));
        var victim = env.Name("victim");
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = victim, Image = "busybox", Network = network, Start = false }));
        var archives = new CraftedArchives(Directory.CreateDirectory(Path.Combine(env.StateDir, "crafted")).FullName);
        var inputs = await InputsAsync(victim, network, archives);

        using var http = RawHttp();
        var before = await StateAsync(http, victim);
        var failures = new List<string>();
        int accepted = 0, crashes = 0, refusedByJobs = 0;
        foreach (var input in inputs)
        {
            var (verdict, detail) = await SendAsync(http, input);
            output.WriteLine($"{verdict}: {input} -> {Truncate(detail)}");
            switch (verdict)
            {
                case Verdict.Refused:
                    break;
                case Verdict.RefusedByJob:
                    refusedByJobs++;
                    break;
                case Verdict.Accepted:
                    accepted++;
                    failures.Add($"accepted: {input} -> {detail}");
                    break;
                case Verdict.Crash:
                    crashes++;
                    failures.Add($"crash: {input} -> {detail}");
                    break;
                default:
                    failures.Add($"unclear refusal: {input} -> {detail}");
                    break;
            }
        }

        var after = await StateAsync(http, victim);
        var summary = $"bad-input sweep: {inputs.Count} inputs in {inputs.Select(i => i.Category).Distinct().Count()} categories, {accepted} accepted, {crashes} crashes, {failures.Count - accepted - crashes} unclear, {refusedByJobs} refused by their job";
        output.WriteLine(summary);
        Console.WriteLine(summary);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(before, after);
        Assert.False(env.Daemon.HasExited, "the daemon must survive the sweep");
        foreach (var planted in new[] { $"/tmp/berth-{env.Prefix}-sweep", $"/tmp/berth-abs-{env.Prefix}", $"/tmp/berth-through-link-{env.Prefix}", $"/tmp/berth-it-{env.Prefix}/escape", "/escape" })
        {
            Assert.False(File.Exists(planted), $"{planted} was written by a refused input");
        }

        Assert.True(inputs.Count > 184, $"only {inputs.Count} inputs");
    }

    private enum Verdict
    {
        Refused,
        RefusedByJob,
        Accepted,
        Crash,
        Unclear,
    }

    private async Task<(Verdict, string)> SendAsync(HttpClient http, BadInput input)
    {
        using var request = new HttpRequestMessage(new HttpMethod(input.Method), input.Path);
        if (input.Body is not null)
        {
            request.Content = new StringContent(input.Body, Encoding.UTF8);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(input.ContentType);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request);
        }
        catch (HttpRequestException ex)
        {
            return (Verdict.Crash, $"no answer: {ex.Message}");
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync();
            if (status >= 500)
            {
                return (Verdict.Crash, $"{status} {text}");
            }

            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                var job = JsonSerializer.Deserialize<JobInfo>(text, BerthJson.Options)!;
                var finished = await env.Client.WaitForJobAsync(job);
                return finished.Status == JobStatus.Failed && !string.IsNullOrWhiteSpace(finished.Error)
                    ? (Verdict.RefusedByJob, finished.Error)
                    : (Verdict.Accepted, $"job {finished.Kind} {finished.Status}: {finished.Error}");
            }

            if (status < 400)
            {
                return (Verdict.Accepted, $"{status} {Truncate(text)}");
            }

            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                return (Verdict.Unclear, $"{status} with {response.Content.Headers.ContentType?.MediaType ?? "no"} body '{Truncate(text)}'");
            }

            var problem = JsonSerializer.Deserialize<ProblemInfo>(text, BerthJson.Options);
            return string.IsNullOrWhiteSpace(problem?.Detail) || problem.Status != status
                ? (Verdict.Unclear, $"{status} problem without detail: {Truncate(text)}")
                : (Verdict.Refused, problem.Detail);
        }
    }

    /// <summary>Everything the sweep could have changed, as one comparable text.</summary>
    private async Task<string> StateAsync(HttpClient http, string victim)
    {
        var text = new StringBuilder();
        async Task Add(string path) => text.Append(path).Append(": ").Append(await http.GetStringAsync(path)).Append('\n');
        text.Append("containers: ").Append(string.Join(",", (await env.Client.ListContainersAsync()).Select(c => $"{c.Name}={c.Status}/{c.Privileged}/{string.Join(";", c.Config.Select(p => p.Key + "=" + p.Value))}").Order())).Append('\n');
        await Add("/api/v1/networks");
        await Add($"/api/v1/containers/{victim}/forwards");
        await Add($"/api/v1/containers/{victim}/snapshots");
        await Add($"/api/v1/containers/{victim}/config");
        // How full the host filesystem is changes all the time, whatever the sweep does.
        text.Append("storage pools: ").Append(JsonSerializer.Serialize((await env.Client.ListStoragePoolsAsync()).Select(p => p with { DiskUsedBytes = null }), BerthJson.Options)).Append('\n');
        await Add("/api/v1/images");
        text.Append("lxcpath: ").Append(string.Join(",", Directory.GetFileSystemEntries(env.LxcPath).Select(Path.GetFileName).Order())).Append('\n');
        text.Append("victim: ").Append(string.Join(",", Directory.GetFileSystemEntries(Path.Combine(env.LxcPath, victim)).Select(Path.GetFileName).Order())).Append('\n');
        text.Append("state dir: ").Append(string.Join(",", Directory.GetFileSystemEntries(env.StateDir).Select(Path.GetFileName).Where(n => n != "crafted").Order())).Append('\n');
        var authorized = Path.Combine(env.LxcPath, victim, "rootfs", "root", ".ssh", "authorized_keys");
        text.Append("authorized_keys: ").Append(File.Exists(authorized) ? await File.ReadAllTextAsync(authorized) : "none").Append('\n');
        text.Append("nft: ").Append((await Host.RunAsync("nft", "list", "table", "inet", env.NftTable)).Stdout).Append('\n');
        return text.ToString();
    }

    private async Task<List<BadInput>> InputsAsync(string victim, string network, CraftedArchives archives)
    {
        var inputs = new List<BadInput>();
        string Json(object value) => JsonSerializer.Serialize(value, BerthJson.Options);
        var fresh = env.Name("fresh");
        var marker = $"/tmp/berth-{env.Prefix}-sweep";

        // Container names, at launch, copy and rename.
        string[] badNames =
        [
            "", "A", "Web", "-a", "a-", "1abc", "a_b", "a b", "a.b", "a/b", "../x", "..", ".", "a\nb", "a\0b", "a\tb", "é", "a\u202eb",
            new string('a', 64), new string('a', 5000), "a;rm -rf /", "$(touch /tmp/x)", "web\n", " web",
        ];
        foreach (var name in badNames)
        {
            inputs.Add(new("container name", "POST", "/api/v1/containers", Json(new { name, image = "busybox", start = false })));
        }

        foreach (var name in badNames.Take(12))
        {
            inputs.Add(new("container name", "POST", $"/api/v1/containers/{victim}/copy", Json(new { target = name })));
            inputs.Add(new("container name", "POST", $"/api/v1/containers/{victim}/rename", Json(new { name })));
        }

        // Image names.
        foreach (var badImage in new[] { "", "busybox\n", "busybox\nlxc.hook.pre-start = /bin/true", "../busybox", "/busybox", "Busybox", "no-such-image", "busybox ", new string('b', 300), "busybox\0" })
        {
            inputs.Add(new("image name", "POST", "/api/v1/containers", Json(new { name = fresh, image = badImage, start = false })));
        }

        inputs.Add(new("image name", "GET", "/api/v1/images/..%2f..%2fetc", null));
        inputs.Add(new("image name", "POST", "/api/v1/images", Json(new { alias = "x\n", packages = new[] { "curl" } })));
        inputs.Add(new("image name", "POST", "/api/v1/images", Json(new { alias = $"{env.Prefix}-i", packages = new[] { "curl\n" } })));

        // Config keys and values, at launch and on a change.
        (string Key, string Value)[] badConfig =
        [
            ("limits.cpu", "0,\n1"), ("limits.cpu", "0\nlxc.hook.pre-start = /bin/touch " + marker), ("limits.cpu", "0, 1"), ("limits.cpu", "abc"),
            ("limits.cpu", "9999"), ("limits.cpu", "0-"), ("limits.cpu", string.Join(",", Enumerable.Repeat("0", 3000))),
            ("limits.memory", "256MiB\nlxc.hook.pre-start = /bin/true"), ("limits.memory", "-1"), ("limits.memory", "lots"), ("limits.memory", "1e9"),
            ("limits.memory", "99999999999999999999999TiB"), ("limits.memory", "256\0MiB"), ("limits.memory.swap", "64MiB"),
            ("limits.cpu.weight", "0"), ("limits.cpu.weight", "10001"), ("limits.cpu.weight", "1\n"), ("limits.processes", "0"), ("limits.processes", "1\r\n2"),
            ("boot.autostart", "yes"), ("boot.autostart", "true\nx"), ("boot.autostart.order", "1.5"), ("boot.autostart.delay", "-1"),
            ("snapshots.schedule", "@daily\nlxc.hook.pre-start = /bin/true"), ("snapshots.schedule", "every day"), ("snapshots.expiry", "7d\n"), ("snapshots.expiry", "forever"),
            ("lxc.hook.pre-start", "/bin/true"), ("raw.lxc", "lxc.hook.pre-start = /bin/true"), ("limits.cpu\nlxc.hook.pre-start", "/bin/true"), ("", "x"),
            ("health.command", "true\nreboot"), ("health.interval", "soon"), ("health.timeout", "0s"), ("restart.policy", "unless-stopped"), ("restart.max", "0"),
            ("user.note", new string('x', 100_000)),
        ];
        foreach (var (configKey, value) in badConfig)
        {
            inputs.Add(new("config", "POST", "/api/v1/containers", Json(new { name = fresh, image = "busybox", start = false, config = new Dictionary<string, string> { [configKey] = value } })));
            inputs.Add(new("config", "PATCH", $"/api/v1/containers/{victim}/config", Json(new { set = new Dictionary<string, string> { [configKey] = value } })));
        }

        inputs.Add(new("config", "PATCH", $"/api/v1/containers/{victim}/config", Json(new { set = new Dictionary<string, string> { ["security.privileged"] = "true" } })));
        inputs.Add(new("config", "PATCH", $"/api/v1/containers/{victim}/config", Json(new { set = new Dictionary<string, string>(), unset = new[] { "no.such.key\n" } })));
        inputs.Add(new("config", "PATCH", $"/api/v1/containers/{victim}/config", Json(new { set = new Dictionary<string, string>() })));

        // Subnets and network names.
        string[] badSubnets =
        [
            "0.0.0.0/8", "0.0.0.0/0", "224.0.0.0/24", "239.255.0.0/16", "240.0.0.0/8", "255.255.255.0/24", "127.0.0.0/8", "127.1.0.0/24",
            "169.254.0.0/16", "169.254.10.0/24", "10.1/16", "0x0a.0.0.0/8", "10.20.0.1/24", "10.20.0.0/33", "10.20.0.0/30", "10.20.0.0/4",
            "10.20.0.0", "10.20.0.0/24\n", "10.20.0.0/24\nflush ruleset", "fd42::/64", "", "garbage", "10.20.0.0/-1", "10.20.0.0/ 24",
        ];
        foreach (var subnet in badSubnets)
        {
            inputs.Add(new("subnet", "POST", "/api/v1/networks", Json(new { name = env.NetworkName("s"), subnet })));
        }

        foreach (var ipv6 in new[] { "ff00::/64", "fe80::/64", "::/64", "::1/128", "fd42::/32", "fd42::/64\n", "10.30.0.0/24", "fe80::%lo/64" })
        {
            inputs.Add(new("subnet", "POST", "/api/v1/networks", Json(new { name = env.NetworkName("s"), subnet = "10.251.77.0/24", ipv6 })));
        }

        foreach (var name in new[] { "", "UPPER", "a b", "a\n", "a\"b", "networknamewaytoolong", "lo", "-x", "1net", network })
        {
            inputs.Add(new("network name", "POST", "/api/v1/networks", Json(new { name, subnet = "10.251.78.0/24" })));
        }

        // Host network files (admins): each is refused whole and nothing is applied.
        foreach (var file in new[] { "bridges: {\n", "bridges:\n  br1: { ipv4: 10.251.79.300/24 }", "bridges:\n  br1: { ipv4: \"10.251.79.1/24\\nflush ruleset\" }", "bridges:\n  br1: { interfaces: [\"lo\\n\"] }", "bridges:\n  \"a\\\"b\": {}", "other: 1", "bridges:\n  br1: {}\n  br1: {}" })
        {
            inputs.Add(new("host network file", "POST", "/api/v1/host/network/apply", Json(new { file })));
        }

        inputs.Add(new("json body", "POST", "/api/v1/host/network/apply", "{\"file\":5}"));

        // Launch addresses.
        foreach (var ip in new[] { "10.0.0.1\n", "999.1.1.1", "fd42::1", "1", "0.0.0.0", "not-an-ip" })
        {
            inputs.Add(new("address", "POST", "/api/v1/containers", Json(new { name = fresh, image = "busybox", start = false, network, ip })));
        }

        // Ports and forwards.
        string[] badPorts =
        [
            "", "80", "0:80/tcp", "70000:80/tcp", "80:0/tcp", "80:80/icmp", "80:80/tcp\n", "80:80/tcp\nflush ruleset", "a:b/tcp", "80-70:80/tcp",
            "8000-8010:90-91/tcp", "-1:80/tcp", "80:80/tcp;drop", "80:80", "80:80/TCP ", "65536:1/udp", "8080:80/tcp/udp", "８０:80/tcp",
        ];
        foreach (var ports in badPorts)
        {
            inputs.Add(new("ports", "POST", $"/api/v1/containers/{victim}/forwards", Json(new { ports })));
        }

        foreach (var listenAddress in new[] { "1.2.3.4\n", "not-an-ip", "999.1.1.1", "fe80::1%lo\nx" })
        {
            inputs.Add(new("ports", "POST", $"/api/v1/containers/{victim}/forwards", Json(new { ports = "18080:80/tcp", listenAddress })));
        }

        inputs.Add(new("ports", "DELETE", $"/api/v1/containers/{victim}/forwards/icmp/80", null));
        inputs.Add(new("ports", "DELETE", $"/api/v1/containers/{victim}/forwards/tcp/99999999999", null));

        // SSH keys.
        const string key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGu3Zv0Tc1J0m0b2j3RkPJ+QwvM2Jv0Q8dJm0PHJb7cl";
        foreach (var text in new[]
        {
            key + " alice\0@laptop", key + " alice\n" + key + " mallory", key + " a\tb", key + " \u001b[2J", key + "\r\ncommand=\"/bin/sh\" " + key, "", "ssh-ed25519",
            "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIGu3Zv0Tc1J0m0b2j3RkPJ+QwvM2Jv0Q8dJm0PHJb7cl", "ssh-ed25519 not*base64", "ssh-dss AAAAB3NzaC1kc3M=",
            "command=\"/bin/sh\" " + key, key + " " + new string('c', 100_000),
        })
        {
            inputs.Add(new("ssh key", "POST", $"/api/v1/containers/{victim}/ssh-keys", Json(new { key = text })));
        }

        // Storage pools, snapshots, exports, state changes.
        inputs.Add(new("pool", "POST", "/api/v1/storage-pools", Json(new { name = "Bad Pool", driver = "dir" })));
        inputs.Add(new("pool", "POST", "/api/v1/storage-pools", Json(new { name = env.Name("p"), driver = "zfs\n" })));
        inputs.Add(new("pool", "POST", "/api/v1/storage-pools", Json(new { name = env.Name("p"), driver = "dir", source = "/tmp\n" })));
        inputs.Add(new("pool", "POST", "/api/v1/storage-pools", Json(new { name = env.Name("p"), driver = "dir", source = "relative/dir" })));
        inputs.Add(new("pool", "POST", "/api/v1/storage-pools", Json(new { name = env.Name("p"), driver = "btrfs", size = "1GiB\n" })));
        inputs.Add(new("pool", "POST", "/api/v1/storage-pools", Json(new { name = env.Name("p"), driver = "btrfs", size = "1KiB" })));
        inputs.Add(new("pool", "POST", "/api/v1/containers", Json(new { name = fresh, image = "busybox", start = false, storage = "no-such-pool" })));
        foreach (var snapshot in new[] { "a\nb", "../x", "UPPER", new string('s', 100) })
        {
            inputs.Add(new("snapshot", "POST", $"/api/v1/containers/{victim}/snapshots", Json(new { name = snapshot })));
        }

        inputs.Add(new("snapshot", "POST", $"/api/v1/containers/{victim}/snapshots", Json(new { name = "ok", expiry = "7d\n" })));
        inputs.Add(new("snapshot", "POST", $"/api/v1/containers/{victim}/snapshots/no-such/restore", Json(new { })));
        foreach (var file in new[] { "relative.tar.zst", "/tmp/x\n.tar.zst", "/", "/nonexistent-dir/x.tar.zst", "" })
        {
            inputs.Add(new("export", "POST", $"/api/v1/containers/{victim}/export", Json(new { file })));
        }

        foreach (var body in new object[] { new { action = "explode" }, new { action = "start\n" }, new { action = "stop", timeout = -1 }, new { action = "stop", timeout = 99999 }, new { action = "unfreeze" } })
        {
            inputs.Add(new("state", "PUT", $"/api/v1/containers/{victim}/state", Json(body)));
        }

        // JSON bodies: wrong types, missing fields, not JSON, huge.
        string[] badBodies =
        [
            "{not json", "", "null", "[]", "42", "\"text\"", "{}", "{\"name\":5,\"image\":\"busybox\"}", "{\"name\":\"x\",\"image\":[]}",
            "{\"name\":null,\"image\":\"busybox\"}", "{\"name\":\"" + fresh + "\",\"image\":\"busybox\",\"config\":[1,2]}",
            "{\"name\":\"" + fresh + "\",\"image\":\"busybox\",\"start\":\"yes\"}", "{\"name\":\"" + fresh + "\",\"image\":\"busybox\",\"config\":{\"limits.cpu\":5}}",
            "{\"name\":\"" + new string('x', 2_000_000) + "\",\"image\":\"busybox\"}", "{\"name\":\"x\"" + string.Concat(Enumerable.Repeat(",\"a\":1", 1)) + "}",
            new string('[', 10_000) + new string(']', 10_000), "{\"name\":\"\\ud800\",\"image\":\"busybox\"}",
        ];
        foreach (var body in badBodies)
        {
            inputs.Add(new("json body", "POST", "/api/v1/containers", body));
        }

        inputs.Add(new("json body", "POST", "/api/v1/containers", Json(new { name = fresh, image = "busybox" }), "text/plain"));
        inputs.Add(new("json body", "POST", "/api/v1/networks", "{\"name\":1}"));
        inputs.Add(new("json body", "POST", "/api/v1/containers/import", "{\"name\":\"x\"}"));
        inputs.Add(new("json body", "PATCH", $"/api/v1/containers/{victim}/config", "{\"set\":\"limits.cpu=1\"}"));
        inputs.Add(new("json body", "POST", $"/api/v1/containers/{victim}/forwards", "{\"ports\":8080}"));
        inputs.Add(new("json body", "POST", $"/api/v1/containers/{victim}/ssh-keys", "{\"key\":[\"ssh-ed25519\"]}"));

        // Paths.
        string[] badPaths =
        [
            "/api/v1/containers/%00", "/api/v1/containers/a%00b", "/api/v1/containers/a%0ab", "/api/v1/containers/%0d%0aX-Injected:%201",
            "/api/v1/containers/%2e%2e/x", "/api/v1/containers/..%2f..%2fetc", "/api/v1/containers/" + new string('a', 2000), "/api/v1/containers/" + new string('a', 20_000),
            "/api/v1/containers/UPPER", "/api/v1/containers/%ff", "/api/v1/containers/%c0%ae%c0%ae", $"/api/v1/containers/{victim}/snapshots/%00",
            "/api/v1/networks/%00", "/api/v1/networks/..%2f..%2fx", "/api/v1/jobs/%00", "/api/v1/jobs/" + new string('j', 3000), "/api/v1/storage-pools/%00", "/api/v1/images/%00",
            "/api/v1/containers/%00/config", $"/api/v1/containers/{victim}/ssh-keys/%00",
        ];
        foreach (var path in badPaths)
        {
            inputs.Add(new("path", "GET", path, null));
        }

        inputs.Add(new("path", "DELETE", "/api/v1/containers/%2e%2e", null));
        inputs.Add(new("path", "DELETE", "/api/v1/containers/%00", null));
        inputs.Add(new("path", "DELETE", "/api/v1/networks/%2e%2e", null));

        // Container archives: every manifest field, the members, privilege, the file itself.
        var good = CraftedArchives.Manifest(env.Name("arch"));
        JsonObject With(string field, JsonNode? value)
        {
            var manifest = (JsonObject)good.DeepClone();
            manifest[field] = value;
            return manifest;
        }

        var manifests = new List<(string What, JsonObject Manifest)>
        {
            ("haltSignal injection", With("haltSignal", $"SIGUSR1\nlxc.hook.pre-start = /bin/touch {marker}")),
            ("haltSignal unknown", With("haltSignal", "SIGNOPE")),
            ("haltSignal number", With("haltSignal", "9")),
            ("lxcProfile injection", With("lxcProfile", $"debian\nlxc.hook.pre-start = /bin/touch {marker}")),
            ("lxcProfile traversal", With("lxcProfile", "../../../../tmp/evil")),
            ("lxcProfile missing", With("lxcProfile", "nonexistent")),
            ("privileged", With("privileged", true)),
            ("security.privileged", With("config", new JsonObject { ["security.privileged"] = "true" })),
            ("config injection", With("config", new JsonObject { ["limits.cpu"] = "0,\n1" })),
            ("config unknown key", With("config", new JsonObject { ["lxc.hook.pre-start"] = "/bin/true" })),
            ("config wrong type", With("config", new JsonArray(1, 2))),
            ("name invalid", With("name", "Bad\nName")),
            ("name traversal", With("name", "../../etc")),
            ("image injection", With("image", "busybox\nlxc.hook.pre-start = /bin/true")),
            ("image missing", With("image", null)),
            ("architecture", With("architecture", "x64\n")),
            ("snapshot name", With("snapshots", new JsonArray(new JsonObject { ["name"] = "../../x", ["createdAt"] = "2024-01-01T00:00:00+00:00" }))),
            ("format", With("format", "docker")),
            ("newer version", With("version", 99)),
            ("version zero", With("version", 0)),
            ("privileged wrong type", With("privileged", "yes")),
        };
        foreach (var (_, manifest) in manifests)
        {
            var file = await archives.ContainerAsync(manifest);
            inputs.Add(new("archive manifest", "POST", "/api/v1/containers/import", Json(new { file, name = env.Name("imp") })));
        }

        var okManifest = good.DeepClone();
        List<IEnumerable<TarEntry>> memberSets =
        [
            Array.Empty<TarEntry>(),
            [CraftedArchives.File("rootfs-not-a-dir", "x")],
            [.. CraftedArchives.Rootfs(), CraftedArchives.File("../escape", "x")],
            [.. CraftedArchives.Rootfs(), CraftedArchives.File("rootfs/../../escape", "x")],
            [.. CraftedArchives.Rootfs(), CraftedArchives.File("/tmp/berth-abs-" + env.Prefix, "x")],
            [.. CraftedArchives.Rootfs(), CraftedArchives.File("elsewhere/file", "x")],
            [.. CraftedArchives.Rootfs(), CraftedArchives.Special(TarEntryType.SymbolicLink, "rootfs/esc", "/tmp"), CraftedArchives.File("rootfs/esc/berth-through-link-" + env.Prefix, "x")],
            [.. CraftedArchives.Rootfs(), CraftedArchives.Special(TarEntryType.HardLink, "rootfs/shadow", "../../../../etc/shadow")],
            [.. CraftedArchives.Rootfs(), CraftedArchives.Special(TarEntryType.BlockDevice, "rootfs/dev/sda", major: 8, minor: 0)],
            [.. CraftedArchives.Rootfs(), CraftedArchives.Special(TarEntryType.CharacterDevice, "rootfs/dev/mem", major: 1, minor: 1)],
            [.. CraftedArchives.Rootfs(), CraftedArchives.Special(TarEntryType.CharacterDevice, "rootfs/dev/kmsg", major: 1, minor: 11)],
            [.. CraftedArchives.Rootfs(), CraftedArchives.Directory("snapshots/../../x/")],
        ];
        foreach (var members in memberSets)
        {
            var file = await archives.ContainerAsync(okManifest, members);
            inputs.Add(new("archive members", "POST", "/api/v1/containers/import", Json(new { file, name = env.Name("imp") })));
        }

        var noManifest = await archives.WriteAsync("berth.json", null, CraftedArchives.Rootfs());
        var notJson = await archives.WriteAsync("berth.json", JsonValue.Create("not an object"), CraftedArchives.Rootfs());
        var plain = await archives.RawAsync(Encoding.UTF8.GetBytes("this is not an archive"));
        var real = await archives.ContainerAsync(okManifest);
        var bytes = await File.ReadAllBytesAsync(real);
        var truncated = await archives.RawAsync(bytes[..(bytes.Length / 2)]);
        foreach (var file in new[] { noManifest, notJson, plain, truncated, "/nonexistent/x.tar.zst", "relative.tar.zst", "/tmp/x\0.tar.zst", env.StateDir })
        {
            inputs.Add(new("archive file", "POST", "/api/v1/containers/import", Json(new { file, name = env.Name("imp") })));
        }

        inputs.Add(new("archive file", "POST", "/api/v1/containers/import", Json(new { file = real, name = "Bad Name" })));
        inputs.Add(new("archive file", "POST", "/api/v1/containers/import", Json(new { file = real, name = env.Name("imp"), storage = "no-such-pool" })));
        inputs.Add(new("archive file", "POST", "/api/v1/containers/import", Json(new { file = real, name = victim })));

        // Image archives: the same fields in image.json, and the members.
        var alias = $"{env.Prefix}-img";
        // Its own recipe, so its fingerprint is in no cache (an image cached already is not unpacked again).
        var image = CraftedArchives.ImageMetadata(alias, $"crafted rootfs {env.Prefix} {Guid.NewGuid():N}");
        JsonObject ImageWith(string field, JsonNode? value)
        {
            var metadata = (JsonObject)image.DeepClone();
            metadata[field] = value;
            return metadata;
        }

        foreach (var metadata in new[]
        {
            ImageWith("haltSignal", $"SIGUSR1\nlxc.hook.pre-start = /bin/touch {marker}"), ImageWith("lxcProfile", $"debian\nlxc.hook.pre-start = /bin/touch {marker}"),
            ImageWith("lxcProfile", "../../../../tmp/evil"), ImageWith("alias", "x\ny"), ImageWith("os", "busybox\n"), ImageWith("release", ""),
            ImageWith("packages", new JsonArray("curl\nx")), ImageWith("fingerprint", new string('0', 64)), ImageWith("architecture", "sparc"), ImageWith("version", 99),
            ImageWith("format", "berth-container"),
        })
        {
            var file = await archives.ImageAsync(metadata);
            inputs.Add(new("image archive", "POST", "/api/v1/images/import", Json(new { file, alias })));
        }

        foreach (var members in memberSets.Take(9))
        {
            var file = await archives.ImageAsync(image, members);
            inputs.Add(new("image archive", "POST", "/api/v1/images/import", Json(new { file, alias })));
        }

        var imageFile = await archives.ImageAsync(image);
        inputs.Add(new("image archive", "POST", "/api/v1/images/import", Json(new { file = imageFile, alias = "Bad\nAlias" })));
        inputs.Add(new("image archive", "POST", "/api/v1/images/import", Json(new { file = imageFile, alias, sha256 = "nothex" })));
        inputs.Add(new("image archive", "POST", "/api/v1/images/import", Json(new { file = imageFile, alias, sha256 = new string('a', 64) })));
        return inputs;
    }

    private HttpClient RawHttp()
    {
        var socket = Path.Combine(env.StateDir, "unix.socket");
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await s.ConnectAsync(new UnixDomainSocketEndPoint(socket), ct);
                return new NetworkStream(s, ownsSocket: true);
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri("http://berth"), Timeout = TimeSpan.FromMinutes(2) };
    }

    private static string Truncate(string? text) => text is null ? "" : text.Length > 160 ? text[..160] + "..." : text.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\0", "\\0", StringComparison.Ordinal);
}
