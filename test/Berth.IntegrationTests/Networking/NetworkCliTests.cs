using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Networking;

/// <summary>The real `berth` program: network, launch --network --ip, forward, ssh; errors as one line with exit code 1.</summary>
public sealed class NetworkCliTests(NetworkBerthEnvironment env) : IClassFixture<NetworkBerthEnvironment>
{
    private Task<CliResult> Berth(params string[] args) => CliRunner.RunAsync(env.StateDir, args);

    [Fact]
    public async Task InternalNetworkCopyAndNetworkChange_ThroughTheCli()
    {
        var closed = env.NetworkName("cin");
        var closedSubnet = env.NextSubnet();
        Assert.Equal(0, (await Berth("network", "create", closed, "--subnet", closedSubnet, "--internal")).ExitCode);
        var routed = env.NetworkName("crt");
        var routedSubnet = env.NextSubnet();
        Assert.Equal(0, (await Berth("network", "create", routed, "--subnet", routedSubnet)).ExitCode);
        Assert.Contains("Mode:", (await Berth("network", "show", closed)).Stdout, StringComparison.Ordinal);
        Assert.Matches(@"Mode:\s+internal", (await Berth("network", "show", closed)).Stdout);
        Assert.Matches($@"{routed}\s.*\srouted\s", (await Berth("network", "list")).Stdout);
        var both = await Berth("network", "create", env.NetworkName("cbo"), "--subnet", env.NextSubnet(), "--internal", "--nat");
        Assert.Equal(1, both.ExitCode);
        Assert.Single(both.Stderr.Trim().Split('\n'));

        var name = env.Name("cin1");
        Assert.Equal(0, (await Berth("launch", "busybox", name, "--network", closed, "--no-start")).ExitCode);
        var copy = env.Name("cin2");
        var address = routedSubnet.Replace(".0/24", ".33", StringComparison.Ordinal);
        var copied = await Berth("copy", name, copy, "--network", routed, "--ip", address);
        Assert.True(copied.ExitCode == 0, copied.ToString());
        Assert.Contains($"{routed} ({address})", (await Berth("info", copy)).Stdout, StringComparison.Ordinal);

        var moved = await Berth("config", "set", name, $"network={routed}");
        Assert.True(moved.ExitCode == 0, moved.ToString());
        Assert.Contains($"{routed} (", (await Berth("info", name)).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NetworkLaunchForwardSsh_ThroughTheCli()
    {
        var network = env.NetworkName("cli");
        var subnet = env.NextSubnet();
        var created = await Berth("network", "create", network, "--subnet", subnet, "--nat");
        Assert.True(created.ExitCode == 0, created.ToString());

        var list = await Berth("network", "list");
        Assert.Contains(network, list.Stdout, StringComparison.Ordinal);
        Assert.Contains(subnet, list.Stdout, StringComparison.Ordinal);

        var overlap = await Berth("network", "create", env.NetworkName("cl2"), "--subnet", subnet);
        Assert.Equal(1, overlap.ExitCode);
        Assert.StartsWith("berth: error: ", overlap.Stderr, StringComparison.Ordinal);
        Assert.Contains("overlaps", overlap.Stderr, StringComparison.Ordinal);
        Assert.Single(overlap.Stderr.Trim().Split('\n'));

        var name = env.Name("cli1");
        var address = subnet.Replace(".0/24", ".42", StringComparison.Ordinal);
        var launched = await Berth("launch", "busybox", name, "--network", network, "--ip", address);
        Assert.True(launched.ExitCode == 0, launched.ToString());
        var info = await Berth("info", name);
        Assert.Contains($"{network} ({address})", info.Stdout, StringComparison.Ordinal);
        var show = await Berth("network", "show", network);
        Assert.Contains($"{name}: {address}", show.Stdout, StringComparison.Ordinal);

        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Any, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        probe.Stop();
        var forward = await Berth("forward", "add", name, $"{port}:80/tcp");
        Assert.True(forward.ExitCode == 0, forward.ToString());
        Assert.Contains(port, (await Berth("forward", "list", name)).Stdout, StringComparison.Ordinal);
        var badForward = await Berth("forward", "add", name, "99999:80/tcp");
        Assert.Equal(1, badForward.ExitCode);
        Assert.StartsWith("berth: error: ", badForward.Stderr, StringComparison.Ordinal);

        var ssh = await Berth("ssh", "enable", name);
        Assert.True(ssh.ExitCode == 0, ssh.ToString());
        var sshPort = int.Parse(Assert.Single(System.Text.RegularExpressions.Regex.Matches(ssh.Stdout, @"^ssh -p (\d+) root@\S+\n$")).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(sshPort, env.SshPorts.First, env.SshPorts.Last);

        var badKey = await Berth("ssh-key", "add", name, "ssh-ed25519 garbage");
        Assert.Equal(1, badKey.ExitCode);
        Assert.Contains("OpenSSH public key", badKey.Stderr, StringComparison.Ordinal);

        var inUse = await Berth("network", "delete", network);
        Assert.Equal(1, inUse.ExitCode);
        Assert.Contains(name, inUse.Stderr, StringComparison.Ordinal);

        Assert.Equal(0, (await Berth("forward", "remove", name, $"{port}/tcp")).ExitCode);
        Assert.Equal(0, (await Berth("delete", "--force", name)).ExitCode);
        var deleted = await Berth("network", "delete", network);
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        Assert.False(Directory.Exists($"/sys/class/net/{network}"));
    }
}
