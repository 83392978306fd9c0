using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Networking;

/// <summary>Port forwards through the real nft table: a client in another namespace and the host itself reach a container's web server.</summary>
public sealed class ForwardTests(NetworkBerthEnvironment env) : IClassFixture<NetworkBerthEnvironment>
{
    private static int FreePort()
    {
        while (true)
        {
            var port = RandomNumberGenerator.GetInt32(20000, 30000);
            try
            {
                using var probe = new TcpListener(IPAddress.Any, port);
                probe.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }
    }

    private async Task<string> LaunchWebServerAsync(string hint)
    {
        var network = env.NetworkName("w" + hint);
        await env.SucceedAsync(env.Client.CreateNetworkAsync(new NetworkCreateRequest { Name = network, Subnet = env.NextSubnet(), Nat = true }));
        var name = env.Name(hint);
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = name, Image = "busybox", Network = network }));
        var (code, _, stderr) = await env.ExecAsync(name, "sh", "-c", $"mkdir -p /www && echo hello-from-{name} > /www/index.html && httpd -p 80 -h /www");
        Assert.True(code == 0, stderr);
        return name;
    }

    [Fact]
    public async Task Forward_OverIpv6_ReachesTheContainersIpv6Address()
    {
        // Prefixes of this run: no group starts with 0, so they read back the same.
        var prefix = $"fd{TestHost.RunId[..2]}:1{TestHost.RunId[2..5]}:7{env.NetPrefix[^1..]}::";
        var clientPrefix = $"fd{TestHost.RunId[..2]}:1{TestHost.RunId[2..5]}:8{env.NetPrefix[^1..]}::";
        var network = env.NetworkName("w6");
        await env.SucceedAsync(env.Client.CreateNetworkAsync(new NetworkCreateRequest { Name = network, Subnet = env.NextSubnet(), Ipv6 = prefix + "/64", Nat = true }));
        var name = env.Name("web6");
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = name, Image = "busybox", Network = network }));
        Assert.Equal(0, (await env.ExecAsync(name, "sh", "-c", $"mkdir -p /www && echo hello6-from-{name} > /www/index.html && httpd -p 80 -h /www")).ExitCode);

        await using var client = await ClientNamespace.CreateAsync(env, "v6");
        await Host.RunCheckedAsync("ip", "addr", "add", clientPrefix + "1/64", "dev", client.HostSide, "nodad");
        await client.RunAsync("ip", "addr", "add", clientPrefix + "2/64", "dev", "eth0", "nodad");
        await client.RunAsync("ip", "-6", "route", "add", "default", "via", clientPrefix + "1");
        var port = FreePort().ToString(CultureInfo.InvariantCulture);
        var url = $"http://[{clientPrefix}1]:{port}/";
        Assert.NotEqual(0, (await client.RunAsync("curl", "-g", "-s", "-m", "2", url)).ExitCode);

        await env.SucceedAsync(env.Client.AddForwardAsync(name, new ForwardRequest { Ports = $"{port}:80/tcp" }));
        Assert.Equal((await env.Client.GetContainerAsync(name)).Ipv6, Assert.Single(await env.Client.ListForwardsAsync(name)).TargetAddress6);

        // The container's address may still be in duplicate address detection for a moment.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        (int ExitCode, string Stdout, string Stderr) answer;
        while ((answer = await client.RunAsync("curl", "-g", "-s", "-m", "3", url)).ExitCode != 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }

        Assert.True(answer.ExitCode == 0, answer.Stderr);
        Assert.Contains($"hello6-from-{name}", answer.Stdout, StringComparison.Ordinal);

        // IPv4 keeps working through the same forward.
        var v4 = await client.RunAsync("curl", "-s", "-m", "5", $"http://{client.HostAddress}:{port}/");
        Assert.Contains($"hello6-from-{name}", v4.Stdout, StringComparison.Ordinal);

        // Listening on an IPv6 address needs a container with one.
        var plain = await LaunchWebServerAsync("nov6");
        var refused = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.AddForwardAsync(plain, new ForwardRequest { Ports = $"{FreePort()}:80/tcp", ListenAddress = clientPrefix + "1" }));
        Assert.Equal(400, refused.Status);
    }

    [Fact]
    public async Task Forward_ReachesContainerFromAnotherNamespaceAndFromTheHost()
    {
        var name = await LaunchWebServerAsync("web");
        await using var client = await ClientNamespace.CreateAsync(env, "a");
        var port = FreePort().ToString(CultureInfo.InvariantCulture);
        var url = $"http://{client.HostAddress}:{port}/";

        // Before the forward nothing answers on that port.
        Assert.NotEqual(0, (await client.RunAsync("curl", "-s", "-m", "2", url)).ExitCode);

        await env.SucceedAsync(env.Client.AddForwardAsync(name, new ForwardRequest { Ports = $"{port}:80/tcp" }));
        var forwards = await env.Client.ListForwardsAsync(name);
        var forward = Assert.Single(forwards);
        Assert.Equal("tcp", forward.Protocol);
        Assert.Equal((await env.Client.GetContainerAsync(name)).Ipv4, forward.TargetAddress);

        var fromOutside = await client.RunAsync("curl", "-s", "-m", "5", url);
        Assert.True(fromOutside.ExitCode == 0, fromOutside.Stderr);
        Assert.Contains($"hello-from-{name}", fromOutside.Stdout, StringComparison.Ordinal);

        var fromHost = await Host.RunAsync("curl", "-s", "-m", "5", url);
        Assert.True(fromHost.ExitCode == 0, fromHost.Stderr);
        Assert.Contains($"hello-from-{name}", fromHost.Stdout, StringComparison.Ordinal);

        await env.SucceedAsync(env.Client.RemoveForwardAsync(name, "tcp", int.Parse(port, CultureInfo.InvariantCulture)));
        Assert.Empty(await env.Client.ListForwardsAsync(name));
        Assert.NotEqual(0, (await client.RunAsync("curl", "-s", "-m", "2", url)).ExitCode);
    }

    [Fact]
    public async Task Forward_ReachesContainerThroughTheHostsLoopback()
    {
        var name = await LaunchWebServerAsync("lo");
        var port = FreePort();
        var listening = FreePort();
        await env.SucceedAsync(env.Client.AddForwardAsync(name, new ForwardRequest { Ports = $"{port}:80/tcp" }));
        await env.SucceedAsync(env.Client.AddForwardAsync(name, new ForwardRequest { Ports = $"{listening}:80/tcp", ListenAddress = "127.0.0.1" }));

        // The host's own loopback, by address and by name, reaches both: the forward on every address and the one on 127.0.0.1.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        foreach (var url in new[] { $"http://127.0.0.1:{port}/", $"http://localhost:{port}/", $"http://127.0.0.1:{listening}/", $"http://localhost:{listening}/" })
        {
            Assert.Contains($"hello-from-{name}", await http.GetStringAsync(new Uri(url)), StringComparison.Ordinal);
        }

        // The kernel setting this needs is on Berth's bridge only, never host-wide.
        var bridge = (await env.Client.GetContainerAsync(name)).Network!;
        Assert.Equal("1", (await File.ReadAllTextAsync($"/proc/sys/net/ipv4/conf/{bridge}/route_localnet")).Trim());
        Assert.Equal("0", (await File.ReadAllTextAsync("/proc/sys/net/ipv4/conf/all/route_localnet")).Trim());

        // IPv6 loopback cannot be routed to a container: refused, and nothing is added.
        var refused = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.AddForwardAsync(name, new ForwardRequest { Ports = $"{FreePort()}:80/tcp", ListenAddress = "::1" }));
        Assert.Equal(400, refused.Status);
        Assert.Contains("127.0.0.1", refused.Message, StringComparison.Ordinal);
        Assert.Equal(2, (await env.Client.ListForwardsAsync(name)).Count);
    }

    [Fact]
    public async Task Loopback_ContainerSendingTo127_DoesNotReachTheHostsLoopbackServices()
    {
        var name = await LaunchWebServerAsync("lg");
        var gateway = (await env.Client.GetNetworkAsync((await env.Client.GetContainerAsync(name)).Network!)).Gateway;
        using var service = new TcpListener(IPAddress.Loopback, 0);
        service.Start();
        var port = ((IPEndPoint)service.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
        var accepted = service.AcceptTcpClientAsync();

        // The container routes 127.0.0.1 out to the host (it owns its network namespace) and connects.
        var (code, _, stderr) = await env.ExecAsync(name, "sh", "-c",
            $"ip route del local 127.0.0.0/8 dev lo table local; ip route add 127.0.0.1/32 via {gateway} dev eth0; sysctl -w net.ipv4.conf.eth0.route_localnet=1 >/dev/null; sysctl -w net.ipv4.conf.all.route_localnet=1 >/dev/null; ip route get 127.0.0.1");
        Assert.True(code == 0, stderr);
        var (sent, _, _) = await env.ExecAsync(name, "sh", "-c", $"echo hi | nc -w 2 127.0.0.1 {port}");

        Assert.NotEqual(0, sent);
        Assert.False(accepted.IsCompleted);
    }

    [Fact]
    public async Task Forward_RangeAndUdp_AreRendered()
    {
        var name = await LaunchWebServerAsync("rng");
        var first = FreePort();
        await env.SucceedAsync(env.Client.AddForwardAsync(name, new ForwardRequest { Ports = $"{first}-{first + 2}:{first}-{first + 2}/udp" }));
        var table = await Host.RunCheckedAsync("nft", "list", "table", "inet", env.NftTable);
        var target = (await env.Client.GetContainerAsync(name)).Ipv4;
        Assert.Contains($"udp dport {first}-{first + 2} dnat ip to {target}", table, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forward_BadOrTakenPorts_AreRefusedAndChangeNothing()
    {
        var name = await LaunchWebServerAsync("bad");
        var port = FreePort();
        await env.SucceedAsync(env.Client.AddForwardAsync(name, new ForwardRequest { Ports = $"{port}:80/tcp" }));

        var duplicate = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.AddForwardAsync(name, new ForwardRequest { Ports = $"{port}:81/tcp" }));
        Assert.Equal(409, duplicate.Status);

        var outOfRange = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.AddForwardAsync(name, new ForwardRequest { Ports = "70000:80/tcp" }));
        Assert.Equal(400, outOfRange.Status);

        var badProtocol = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.AddForwardAsync(name, new ForwardRequest { Ports = "8080:80/sctp" }));
        Assert.Equal(400, badProtocol.Status);

        // A host service listening on the port (here on loopback) makes it taken.
        using var service = new TcpListener(IPAddress.Loopback, 0);
        service.Start();
        var busy = ((IPEndPoint)service.LocalEndpoint).Port;
        var taken = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.AddForwardAsync(name, new ForwardRequest { Ports = $"{busy}:80/tcp" }));
        Assert.Equal(409, taken.Status);
        Assert.Contains("in use", taken.Message, StringComparison.Ordinal);

        // The host's own SSH port is refused even when nothing listens on it at this moment; so is a range over DNS.
        var hostSsh = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.AddForwardAsync(name, new ForwardRequest { Ports = "22:22/tcp" }));
        Assert.Equal(409, hostSsh.Status);
        Assert.Contains("SSH", hostSsh.Message, StringComparison.Ordinal);
        var dns = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.AddForwardAsync(name, new ForwardRequest { Ports = "50-60:50-60/udp" }));
        Assert.Equal(409, dns.Status);
        Assert.Contains("DNS", dns.Message, StringComparison.Ordinal);

        Assert.Single(await env.Client.ListForwardsAsync(name));
        var table = await Host.RunCheckedAsync("nft", "list", "table", "inet", env.NftTable);
        Assert.DoesNotContain($"dport {busy}", table, StringComparison.Ordinal);
        Assert.DoesNotContain("dport 22 ", table, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SshEnable_AllocatesPortFromRangeAndKeysAreValidatedAndWritten()
    {
        var name = await LaunchWebServerAsync("ssh");
        var (ssh, job) = await env.Client.EnableSshAsync(name);
        Assert.NotNull(job);
        await env.SucceedAsync(Task.FromResult(job!));
        Assert.InRange(ssh.Port, env.SshPorts.First, env.SshPorts.Last);
        Assert.StartsWith($"ssh -p {ssh.Port} root@", ssh.Command, StringComparison.Ordinal);
        Assert.Contains(await env.Client.ListForwardsAsync(name), f => f.Ssh && f.HostPort == ssh.Port && f.ContainerPort == 22);
        Assert.Equal(ssh.Port, (await env.Client.EnableSshAsync(name)).Ssh.Port);

        using var dir = new TempDir();
        await Host.RunCheckedAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "tester@berth", "-f", Path.Combine(dir.Path, "key"));
        var publicKey = (await File.ReadAllTextAsync(Path.Combine(dir.Path, "key.pub"))).Trim();
        await env.SucceedAsync(env.Client.AddSshKeyAsync(name, publicKey));

        var file = Path.Combine(env.LxcPath, name, "rootfs/root/.ssh/authorized_keys");
        Assert.Equal(publicKey + "\n", await File.ReadAllTextAsync(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        var (code, stdout, _) = await env.ExecAsync(name, "cat", "/root/.ssh/authorized_keys");
        Assert.Equal(0, code);
        Assert.Equal(publicKey, stdout.Trim());

        var listed = Assert.Single(await env.Client.ListSshKeysAsync(name));
        Assert.Equal("tester@berth", listed.Comment);
        var fingerprint = (await Host.RunCheckedAsync("ssh-keygen", "-l", "-f", Path.Combine(dir.Path, "key.pub"))).Split(' ')[1];
        Assert.Equal(fingerprint, listed.Fingerprint);

        // The type named in front must match the one inside the blob.
        var mismatched = publicKey.Replace("ssh-ed25519", "ssh-rsa", StringComparison.Ordinal);
        var bad = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.AddSshKeyAsync(name, mismatched));
        Assert.Equal(400, bad.Status);
        var garbage = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.AddSshKeyAsync(name, "ssh-ed25519 not-base64!!"));
        Assert.Equal(400, garbage.Status);

        // A fingerprint with '/' and '+' (base64) goes through the route as one escaped segment.
        await env.SucceedAsync(env.Client.AddSshKeyAsync(name, SlashKey));
        Assert.Contains(await env.Client.ListSshKeysAsync(name), k => k.Fingerprint == SlashFingerprint);
        await env.SucceedAsync(env.Client.RemoveSshKeyAsync(name, SlashFingerprint));
        Assert.Equal(listed.Fingerprint, Assert.Single(await env.Client.ListSshKeysAsync(name)).Fingerprint);
        Assert.Equal(publicKey + "\n", await File.ReadAllTextAsync(file));

        await env.SucceedAsync(env.Client.RemoveSshKeyAsync(name, listed.Fingerprint));
        Assert.Empty(await env.Client.ListSshKeysAsync(name));

        // ssh disable takes the port away, from the store and from the firewall.
        await env.SucceedAsync(env.Client.DisableSshAsync(name));
        Assert.DoesNotContain(await env.Client.ListForwardsAsync(name), f => f.Ssh);
        Assert.DoesNotContain($"dport {ssh.Port} ", await Host.RunCheckedAsync("nft", "list", "table", "inet", env.NftTable), StringComparison.Ordinal);
        var again = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.DisableSshAsync(name));
        Assert.Equal(404, again.Status);
    }

    /// <summary>A fixed key whose SHA-256 fingerprint has both '/' and '+'.</summary>
    private const string SlashKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKtAGteLQr0x0m8bq4ZxyztNxqyi5W0+GVkMrRfmwMHO slash@berth";

    private const string SlashFingerprint = "SHA256:lCSFrSvnewZ9KFLT87H/SnwB+rJW0XbzEls0xfgKMzc";

    private sealed class TempDir : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("berth-key-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
