using System.Text.Json;
using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.HostNetwork;

/// <summary>
/// berth host apply against the real kernel: bridges made of dummy and veth interfaces the test creates (never the
/// host's own), nft rules in the environment's own table, and every link and namespace removed even on failure.
/// The tests of this class share one daemon and each ends by applying an empty file.
/// </summary>
public sealed class HostApplyTests(HttpBerthEnvironment env) : IClassFixture<HttpBerthEnvironment>
{
    private Task<CliResult> Berth(params string[] args) => CliRunner.RunAsync(env.StateDir, args);

    private string WriteFile(string hint, string text)
    {
        var path = Path.Combine(env.StateDir, $"host-{hint}.yml");
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>
    /// A stand-in uplink: a dummy interface where the kernel has the dummy driver, else one end of a veth pair whose
    /// peer stays beside it (deleting one end deletes both).
    /// </summary>
    private async Task<string> UplinkAsync(string hint)
    {
        var name = env.NetworkName(hint);
        if ((await Host.RunAsync("ip", "link", "add", name, "type", "dummy")).ExitCode != 0)
        {
            await Host.RunCheckedAsync("ip", "link", "add", name, "type", "veth", "peer", "name", env.NetworkName(hint + "p"));
        }

        return name;
    }

    private static async Task DeleteLinkAsync(string name) => await Host.RunAsync("ip", "link", "delete", name);

    private static bool Exists(string name) => Directory.Exists($"/sys/class/net/{name}");

    private static string? Master(string name) => new FileInfo($"/sys/class/net/{name}/master").LinkTarget is { } target ? Path.GetFileName(target) : null;

    private static async Task<List<string>> AddressesAsync(string name)
    {
        var json = await Host.RunCheckedAsync("ip", "-j", "addr", "show", "dev", name);
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().SelectMany(l => l.GetProperty("addr_info").EnumerateArray())
            .Select(a => $"{a.GetProperty("local").GetString()}/{a.GetProperty("prefixlen").GetInt32()}")];
    }

    private async Task<string> TableAsync() => (await Host.RunAsync("nft", "-a", "list", "table", "inet", env.NftTable)).Stdout;

    private static string Ifindex(string name) => File.ReadAllText($"/sys/class/net/{name}/ifindex").Trim();

    /// <summary>"10.a.b" of a fresh /24 of this environment and a matching IPv6 /64 prefix "fd42:a:b".</summary>
    private (string V4, string V6) Ranges()
    {
        var v4 = env.NextSubnet().Replace(".0/24", "", StringComparison.Ordinal);
        var parts = v4.Split('.');
        return (v4, $"fd42:{parts[1]}:{parts[2]}");
    }

    private async Task ClearAsync()
    {
        Assert.True((await env.Client.ApplyHostNetworkAsync(new HostApplyRequest { File = "bridges: {}" })).Applied);
        Assert.Empty((await env.Client.GetHostNetworkAsync()).Bridges);
    }

    [Fact]
    public async Task Apply_DummyUplinkAndNatNetwork_PlansAppliesIdempotentlyAndRemovesWhatTheFileDrops()
    {
        var dummy = await UplinkAsync("hd1");
        var ex = env.NetworkName("hex");
        var inner = env.NetworkName("hin");
        var (pub, pub6) = Ranges();
        var (priv, _) = Ranges();
        try
        {
            var file = WriteFile("one", $"""
                bridges:
                  {ex}: {"{"} interfaces: [{dummy}], ipv4: {pub}.10/24, ipv6: {pub6}::1/64 {"}"}   # public, routed IPv6
                  {inner}: {"{"} ipv4: {priv}.1/24, nat: true {"}"}                               # private, masqueraded
                """);

            // The dry run shows the plan and changes nothing.
            var tableBefore = await TableAsync();
            var dry = await Berth("host", "apply", file, "--dry-run");
            Assert.True(dry.ExitCode == 0, dry.ToString());
            Assert.Contains($"create bridge {ex}", dry.Stdout, StringComparison.Ordinal);
            Assert.Contains($"enslave {dummy} to {ex}", dry.Stdout, StringComparison.Ordinal);
            Assert.Contains($"masquerade {priv}.0/24 from {inner}", dry.Stdout, StringComparison.Ordinal);
            Assert.Contains("nothing was changed", dry.Stdout, StringComparison.Ordinal);
            Assert.False(Exists(ex));
            Assert.False(Exists(inner));
            Assert.Null(Master(dummy));
            Assert.Equal(tableBefore, await TableAsync());
            Assert.Empty((await env.Client.GetHostNetworkAsync()).Bridges);

            var applied = await Berth("host", "apply", file);
            Assert.True(applied.ExitCode == 0, applied.ToString());
            Assert.Contains("Applied", applied.Stdout, StringComparison.Ordinal);
            Assert.True(Directory.Exists($"/sys/class/net/{ex}/bridge"));
            Assert.Equal(ex, Master(dummy));
            Assert.Contains($"{pub}.10/24", await AddressesAsync(ex));
            Assert.Contains($"{pub6}::1/64", await AddressesAsync(ex));
            Assert.Contains($"{priv}.1/24", await AddressesAsync(inner));
            Assert.Equal("1", (await File.ReadAllTextAsync("/proc/sys/net/ipv4/ip_forward")).Trim());
            Assert.Equal("1", (await File.ReadAllTextAsync("/proc/sys/net/ipv6/conf/all/forwarding")).Trim());

            var table = await TableAsync();
            Assert.Contains($"ip saddr {priv}.0/24 ip daddr != {priv}.0/24 oifname != \"{inner}\" masquerade", table, StringComparison.Ordinal);
            Assert.Contains($"oifname \"{ex}\" ip6 daddr {pub6}::/64 accept", table, StringComparison.Ordinal);
            Assert.DoesNotContain($"ip6 saddr {pub6}::/64 ip6 daddr", table, StringComparison.Ordinal);
            Assert.DoesNotContain($"ip saddr {pub}.0/24", table, StringComparison.Ordinal);

            // The NAT bridge is also a Berth network; the uplink bridge is not.
            var network = await env.Client.GetNetworkAsync(inner);
            Assert.Equal($"{priv}.0/24", network.Subnet);
            Assert.Equal("nat", network.Mode);
            Assert.DoesNotContain((await env.Client.ListNetworksAsync()), n => n.Name == ex);

            var show = await Berth("host", "show");
            Assert.True(show.ExitCode == 0, show.ToString());
            Assert.Matches($@"{ex}\s+{dummy}\s+{pub}\.10/24\s+{pub6}::1/64\s+no\s+no\s+yes", show.Stdout);
            Assert.Matches($@"{inner}\s+-\s+{priv}\.1/24\s+-\s+yes\s+yes\s+yes", show.Stdout);

            // Applied again: no change, and nothing is touched (same bridge, same rule handles).
            var index = Ifindex(ex);
            var again = await Berth("host", "apply", file);
            Assert.True(again.ExitCode == 0, again.ToString());
            Assert.Equal("no change", again.Stdout.Trim());
            Assert.Equal(index, Ifindex(ex));
            Assert.Equal(table, await TableAsync());

            // Dropped from the file: the uplink bridge goes, its dummy stays (released), the network stays.
            var smaller = WriteFile("two", $"bridges:\n  {inner}: {{ ipv4: {priv}.1/24, nat: true }}\n");
            var removed = await Berth("host", "apply", smaller);
            Assert.True(removed.ExitCode == 0, removed.ToString());
            Assert.Contains($"delete bridge {ex}", removed.Stdout, StringComparison.Ordinal);
            Assert.False(Exists(ex));
            Assert.True(Exists(dummy));
            Assert.Null(Master(dummy));
            Assert.True(Exists(inner));
            Assert.DoesNotContain($"{pub6}::/64", await TableAsync(), StringComparison.Ordinal);
            Assert.Equal([inner], (await env.Client.GetHostNetworkAsync()).Bridges.Select(b => b.Name));

            await ClearAsync();
            Assert.False(Exists(inner));
            await Assert.ThrowsAsync<BerthApiException>(() => env.Client.GetNetworkAsync(inner));
        }
        finally
        {
            await env.Client.ApplyHostNetworkAsync(new HostApplyRequest { File = "bridges: {}" });
            await DeleteLinkAsync(dummy);
            await DeleteLinkAsync(ex);
            await DeleteLinkAsync(inner);
        }
    }

    [Fact]
    public async Task Apply_VethFromANamespace_CarriesItsTrafficThroughTheBridgeToTheHost()
    {
        var ns = env.NetworkName("hns");
        var hostEnd = env.NetworkName("hvh");
        var nsEnd = env.NetworkName("hvn");
        var bridge = env.NetworkName("hbv");
        var (v4, v6) = Ranges();
        await Host.RunCheckedAsync("ip", "netns", "add", ns);
        try
        {
            await Host.RunCheckedAsync("ip", "link", "add", hostEnd, "type", "veth", "peer", "name", nsEnd, "netns", ns);
            await Host.RunCheckedAsync("ip", "link", "set", hostEnd, "up");
            await Host.RunCheckedAsync("ip", "-n", ns, "link", "set", "lo", "up");
            await Host.RunCheckedAsync("ip", "-n", ns, "addr", "add", $"{v4}.2/24", "dev", nsEnd);
            await Host.RunCheckedAsync("ip", "-n", ns, "-6", "addr", "add", $"{v6}::2/64", "dev", nsEnd, "nodad");
            await Host.RunCheckedAsync("ip", "-n", ns, "link", "set", nsEnd, "up");

            // Before the bridge exists nothing on the host answers that address.
            Assert.NotEqual(0, (await Host.RunAsync("ip", "netns", "exec", ns, "busybox", "ping", "-c", "1", "-W", "1", $"{v4}.1")).ExitCode);

            var plan = await env.Client.ApplyHostNetworkAsync(new HostApplyRequest
            {
                File = $"bridges:\n  {bridge}: {{ interfaces: [{hostEnd}], ipv4: {v4}.1/24, ipv6: {v6}::1/64 }}\n",
            });
            Assert.True(plan.Applied);
            Assert.Equal(bridge, Master(hostEnd));

            var ping = await Host.RunAsync("ip", "netns", "exec", ns, "busybox", "ping", "-c", "1", "-W", "5", $"{v4}.1");
            Assert.True(ping.ExitCode == 0, ping.Stdout + ping.Stderr);
            var ping6 = await Host.RunAsync("ip", "netns", "exec", ns, "busybox", "ping6", "-c", "1", "-W", "5", $"{v6}::1");
            Assert.True(ping6.ExitCode == 0, ping6.Stdout + ping6.Stderr);
        }
        finally
        {
            await env.Client.ApplyHostNetworkAsync(new HostApplyRequest { File = "bridges: {}" });
            await DeleteLinkAsync(hostEnd);
            await DeleteLinkAsync(bridge);
            await Host.RunAsync("ip", "netns", "delete", ns);
        }
    }

    [Fact]
    public async Task ContainerOnAppliedNetwork_LeavesThroughTheUplinkMasqueradedOverIpv4AndRoutedOverIpv6()
    {
        var ns = env.NetworkName("hon");
        var hostEnd = env.NetworkName("hoh");
        var nsEnd = env.NetworkName("hoi");
        var ex = env.NetworkName("hoe");
        var inner = env.NetworkName("hoc");
        var container = env.Name("hostc");
        var (pub, pub6) = Ranges();
        var (priv, priv6) = Ranges();

        // The "outside": a namespace on the uplink with no IPv4 route to the private subnet (only masquerading reaches
        // it) and an IPv6 route to the private prefix via the host (routed, so it sees the container's own address).
        await Host.RunCheckedAsync("ip", "netns", "add", ns);
        try
        {
            await Host.RunCheckedAsync("ip", "link", "add", hostEnd, "type", "veth", "peer", "name", nsEnd, "netns", ns);
            await Host.RunCheckedAsync("ip", "-n", ns, "link", "set", "lo", "up");
            await Host.RunCheckedAsync("ip", "-n", ns, "addr", "add", $"{pub}.2/24", "dev", nsEnd);
            await Host.RunCheckedAsync("ip", "-n", ns, "-6", "addr", "add", $"{pub6}::2/64", "dev", nsEnd, "nodad");
            await Host.RunCheckedAsync("ip", "-n", ns, "link", "set", nsEnd, "up");
            await Host.RunCheckedAsync("ip", "-n", ns, "-6", "route", "add", $"{priv6}::/64", "via", $"{pub6}::1");

            var file = WriteFile("container", $"""
                bridges:
                  {ex}: {"{"} interfaces: [{hostEnd}], ipv4: {pub}.1/24, ipv6: {pub6}::1/64 {"}"}
                  {inner}: {"{"} ipv4: {priv}.1/24, ipv6: {priv6}::1/64, nat: true {"}"}
                """);
            var applied = await Berth("host", "apply", file);
            Assert.True(applied.ExitCode == 0, applied.ToString());
            var launched = await Berth("launch", "busybox", container, "--network", inner);
            Assert.True(launched.ExitCode == 0, launched.ToString());
            var info = await env.Client.GetContainerAsync(container);
            Assert.Equal($"{priv}.2", info.Ipv4);
            Assert.Equal($"{priv6}::2", info.Ipv6);

            // A listener in the namespace prints the source address of every connection it accepts.
            const int port = 24680;
            var listener = Host.RunAsync("ip", "netns", "exec", ns, "/usr/bin/python3", "-c", $$"""
                import socket
                s = socket.socket(socket.AF_INET6)
                s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind(("::", {{port}}))
                s.listen(8)
                s.settimeout(90)
                seen = set()
                while len(seen) < 2:
                    c, a = s.accept()
                    print(a[0], flush=True)
                    seen.add(a[0].startswith("::ffff:"))
                    c.close()
                """);
            foreach (var target in new[] { $"{pub}.2", $"{pub6}::2" })
            {
                var connected = false;
                for (var attempt = 0; attempt < 20 && !connected; attempt++)
                {
                    connected = (await env.ExecAsync(container, "sh", "-c", $"timeout 3 nc {target} {port} </dev/null")).ExitCode == 0;
                    if (!connected)
                    {
                        await Task.Delay(250);
                    }
                }

                Assert.True(connected, $"the container could not connect to {target}");
            }

            var (_, sources, errors) = await listener;
            var seen = sources.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.True(seen.Length >= 2, sources + errors);
            Assert.Contains($"::ffff:{pub}.1", seen);
            Assert.Contains($"{priv6}::2", seen);
            Assert.DoesNotContain($"::ffff:{priv}.2", seen);

            // The network is in use: removing it is refused and nothing changes.
            var refused = await Berth("host", "apply", WriteFile("container-less", $"bridges:\n  {ex}: {{ interfaces: [{hostEnd}], ipv4: {pub}.1/24, ipv6: {pub6}::1/64 }}\n"));
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains($"is used by {container}", refused.Stderr, StringComparison.Ordinal);
            Assert.True(Exists(inner));
            Assert.Equal(2, (await env.Client.GetHostNetworkAsync()).Bridges.Count);
        }
        finally
        {
            try
            {
                await env.WaitAsync(env.Client.DeleteAsync(container, force: true));
            }
            catch (BerthApiException)
            {
                // It was never made.
            }

            await env.Client.ApplyHostNetworkAsync(new HostApplyRequest { File = "bridges: {}" });
            await DeleteLinkAsync(hostEnd);
            await DeleteLinkAsync(ex);
            await DeleteLinkAsync(inner);
            await Host.RunAsync("ip", "netns", "delete", ns);
        }
    }

    [Fact]
    public async Task DaemonRestart_ReappliesABridgeDeletedByHand()
    {
        var dummy = await UplinkAsync("hd2");
        var bridge = env.NetworkName("hbr");
        var (v4, _) = Ranges();
        try
        {
            await env.Client.ApplyHostNetworkAsync(new HostApplyRequest { File = $"bridges:\n  {bridge}: {{ interfaces: [{dummy}], ipv4: {v4}.10/24 }}\n" });
            Assert.Equal(bridge, Master(dummy));

            await env.Daemon.StopAsync();
            await Host.RunCheckedAsync("ip", "link", "delete", bridge);
            Assert.False(Exists(bridge));
            await env.StartDaemonAsync();

            // The daemon re-applies once it has started; wait for it (bounded), then look at what the host has.
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (!(Exists(bridge) && Master(dummy) == bridge && (await AddressesAsync(bridge)).Contains($"{v4}.10/24")) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }

            Assert.Equal(bridge, Master(dummy));
            Assert.Contains($"{v4}.10/24", await AddressesAsync(bridge));
            Assert.Equal(1, Convert.ToInt32((await File.ReadAllTextAsync($"/sys/class/net/{bridge}/flags")).Trim(), 16) & 1);
            Assert.Equal("no change", (await Berth("host", "apply", WriteFile("restart", $"bridges:\n  {bridge}: {{ interfaces: [{dummy}], ipv4: {v4}.10/24 }}\n"))).Stdout.Trim());
        }
        finally
        {
            await env.Client.ApplyHostNetworkAsync(new HostApplyRequest { File = "bridges: {}" });
            await DeleteLinkAsync(dummy);
            await DeleteLinkAsync(bridge);
        }
    }

    [Fact]
    public async Task NetworkDelete_OfAnAppliedNetwork_IsRefused_TheFileOwnsIt()
    {
        var bridge = env.NetworkName("hnd");
        var (v4, _) = Ranges();
        try
        {
            Assert.True((await env.Client.ApplyHostNetworkAsync(new HostApplyRequest { File = $"bridges:\n  {bridge}: {{ ipv4: {v4}.1/24, nat: true }}\n" })).Applied);
            Assert.Equal("ready", (await env.Client.GetNetworkAsync(bridge)).Status);

            var problem = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.DeleteNetworkAsync(bridge));
            Assert.Equal(409, problem.Status);
            Assert.Contains("host network file", problem.Detail, StringComparison.Ordinal);
            Assert.Contains("remove the bridge from the file", problem.Detail, StringComparison.Ordinal);

            var cli = await Berth("network", "delete", bridge);
            Assert.NotEqual(0, cli.ExitCode);
            Assert.Single(cli.Stderr.Trim().Split('\n'));
            Assert.Contains("berth host apply FILE", cli.Stderr, StringComparison.Ordinal);

            // Refused means untouched: still a network, its bridge still up, and the next apply has nothing to do.
            Assert.Equal("ready", (await env.Client.GetNetworkAsync(bridge)).Status);
            Assert.True(Exists(bridge));
            Assert.DoesNotContain(await env.Client.ListJobsAsync(20), j => j.Kind == "network.delete" && j.Target == bridge);
            Assert.Empty((await env.Client.ApplyHostNetworkAsync(new HostApplyRequest { File = $"bridges:\n  {bridge}: {{ ipv4: {v4}.1/24, nat: true }}\n", DryRun = true })).Changes);

            // Dropped from the file, it goes with the apply.
            await ClearAsync();
            Assert.DoesNotContain(await env.Client.ListNetworksAsync(), n => n.Name == bridge);
        }
        finally
        {
            await env.Client.ApplyHostNetworkAsync(new HostApplyRequest { File = "bridges: {}" });
            await DeleteLinkAsync(bridge);
        }
    }

    [Fact]
    public async Task BadFiles_AreRefusedWithTheLineAndKey_AndChangeNothing()
    {
        var dummy = await UplinkAsync("hd3");
        var bridge = env.NetworkName("hbb");
        var (v4, _) = Ranges();
        try
        {
            var tableBefore = await TableAsync();
            var cases = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [$"bridges:\n  {bridge}: {{ interfaces: [{dummy}], ipv4: {v4}.10/24, colour: red }}\n"] = $"line 2: unknown key 'bridges.{bridge}.colour'",
                [$"bridges:\n  {bridge}:\n    interfaces: [{dummy}]\n    ipv4: {v4}.300/24\n"] = $"line 4: bridges.{bridge}.ipv4",
                [$"bridges:\n  {bridge}: {{ ipv4: {v4}.1/24 }}\n  {bridge}: {{ ipv4: {v4}.1/24 }}\n"] = "appears twice",
                [$"bridges:\n  {bridge}: {{ interfaces: [{dummy}, {env.NetworkName("hzz")}], ipv4: {v4}.10/24 }}\n"] = $"the host has no interface '{env.NetworkName("hzz")}'",
            };
            foreach (var (text, expected) in cases)
            {
                var error = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.ApplyHostNetworkAsync(new HostApplyRequest { File = text }));
                Assert.Equal(400, error.Status);
                Assert.Contains(expected, error.Detail, StringComparison.Ordinal);
                Assert.False(Exists(bridge));
                Assert.Null(Master(dummy));
            }

            // Through the CLI: one line, exit 1, nothing changed.
            var cli = await Berth("host", "apply", WriteFile("bad", $"bridges:\n  {bridge}: {{ ipv4: {v4}.1/24, nat: maybe }}\n"));
            Assert.Equal(1, cli.ExitCode);
            Assert.Single(cli.Stderr.Trim().Split('\n'));
            Assert.Contains($"bridges.{bridge}.nat must be true or false", cli.Stderr, StringComparison.Ordinal);
            Assert.Equal(1, (await Berth("host", "apply", Path.Combine(env.StateDir, "no-such.yml"))).ExitCode);

            // An interface the host made elsewhere is not taken over.
            var foreign = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.ApplyHostNetworkAsync(new HostApplyRequest { File = $"bridges:\n  {dummy}: {{ ipv4: {v4}.1/24 }}\n" }));
            Assert.Equal(409, foreign.Status);
            Assert.True(Exists(dummy));
            Assert.False(Directory.Exists($"/sys/class/net/{dummy}/bridge"));

            // A subnet another host interface has an address in is refused; the interface's own bridge may take it over.
            await Host.RunCheckedAsync("ip", "addr", "add", $"{v4}.5/24", "dev", dummy);
            var overlap = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.ApplyHostNetworkAsync(new HostApplyRequest { File = $"bridges:\n  {bridge}: {{ ipv4: {v4}.1/24 }}\n" }));
            Assert.Equal(409, overlap.Status);
            Assert.Contains($"{v4}.5 on the host's interface '{dummy}'", overlap.Detail, StringComparison.Ordinal);
            Assert.False(Exists(bridge));
            var dry = await env.Client.ApplyHostNetworkAsync(new HostApplyRequest { File = $"bridges:\n  {bridge}: {{ interfaces: [{dummy}], ipv4: {v4}.1/24 }}\n", DryRun = true });
            Assert.Contains($"create bridge {bridge}", dry.Changes);
            Assert.False(dry.Applied);

            Assert.Empty((await env.Client.GetHostNetworkAsync()).Bridges);
            Assert.Equal(tableBefore, await TableAsync());
        }
        finally
        {
            await env.Client.ApplyHostNetworkAsync(new HostApplyRequest { File = "bridges: {}" });
            await DeleteLinkAsync(dummy);
            await DeleteLinkAsync(bridge);
        }
    }

    [Fact]
    public async Task FailureMidApply_UndoesEveryStepDone()
    {
        var first = env.NetworkName("hf1");
        var second = env.NetworkName("hf2");
        var foreignBridge = env.NetworkName("hfx");
        var (v4a, _) = Ranges();
        var (v4b, _) = Ranges();

        // The kernel refuses to enslave a bridge to a bridge: the second bridge's step fails after the first bridge was made.
        await Host.RunCheckedAsync("ip", "link", "add", foreignBridge, "type", "bridge");
        try
        {
            var tableBefore = await TableAsync();
            var error = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.ApplyHostNetworkAsync(new HostApplyRequest
            {
                File = $"bridges:\n  {first}: {{ ipv4: {v4a}.1/24, nat: true }}\n  {second}: {{ interfaces: [{foreignBridge}], ipv4: {v4b}.10/24 }}\n",
            }));
            Assert.Equal(409, error.Status);
            Assert.Contains($"enslave {foreignBridge} to {second}", error.Detail, StringComparison.Ordinal);
            Assert.Contains("undone", error.Detail, StringComparison.Ordinal);
            Assert.False(Exists(first));
            Assert.False(Exists(second));
            Assert.Null(Master(foreignBridge));
            Assert.Empty((await env.Client.GetHostNetworkAsync()).Bridges);
            Assert.DoesNotContain((await env.Client.ListNetworksAsync()), n => n.Name == first);
            Assert.DoesNotContain($"{v4a}.0/24", await TableAsync(), StringComparison.Ordinal);
            _ = tableBefore;
        }
        finally
        {
            await env.Client.ApplyHostNetworkAsync(new HostApplyRequest { File = "bridges: {}" });
            await DeleteLinkAsync(first);
            await DeleteLinkAsync(second);
            await DeleteLinkAsync(foreignBridge);
        }
    }

    [Fact]
    public async Task Members_AreRefused_AndChangeNothing()
    {
        var name = env.Name("hmem");
        await env.Client.CreateUserAsync(new UserCreateRequest { Name = name, Role = "member", Password = "a-good-password-1" });
        var token = (await env.Client.CreateTokenAsync(name, new TokenCreateRequest { Name = "cli" })).Token;
        using var member = new BerthClient(env.BaseAddress, token);
        var bridge = env.NetworkName("hmb");
        var (v4, _) = Ranges();
        try
        {
            var apply = await Assert.ThrowsAsync<BerthApiException>(() => member.ApplyHostNetworkAsync(new HostApplyRequest { File = $"bridges:\n  {bridge}: {{ ipv4: {v4}.1/24 }}\n" }));
            Assert.Equal(403, apply.Status);
            Assert.Equal(403, (await Assert.ThrowsAsync<BerthApiException>(() => member.GetHostNetworkAsync())).Status);
            Assert.False(Exists(bridge));
        }
        finally
        {
            await DeleteLinkAsync(bridge);
        }
    }
}
