using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Networking;

/// <summary>Containers find each other by name through the network's dnsmasq, updated without a restart.</summary>
public sealed class NameTests(NetworkBerthEnvironment env) : IClassFixture<NetworkBerthEnvironment>
{
    [Fact]
    public async Task Names_ResolveBetweenContainers_AndFollowCreateAndDelete()
    {
        var network = env.NetworkName("dns");
        await env.SucceedAsync(env.Client.CreateNetworkAsync(new NetworkCreateRequest { Name = network, Subnet = env.NextSubnet() }));
        var gateway = (await env.Client.GetNetworkAsync(network)).Gateway;
        var first = env.Name("dn1");
        var second = env.Name("dn2");
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = first, Image = "busybox", Network = network }));
        var pidBefore = Assert.Single(env.NameServerPids());

        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = second, Image = "busybox", Network = network }));
        var secondAddress = (await env.Client.GetContainerAsync(second)).Ipv4!;

        // (nslookup also asks for AAAA, which this closed network refuses, so its exit code says nothing about A.)
        var (_, stdout, stderr) = await env.ExecAsync(first, "nslookup", second, gateway);
        Assert.True(stdout.Contains($"Address: {secondAddress}", StringComparison.Ordinal), stdout + stderr);
        Assert.Equal(0, (await env.ExecAsync(first, "ping", "-c1", "-W2", second)).ExitCode);

        // The busybox image's own wget fetches from another container by its name.
        Assert.Equal(0, (await env.ExecAsync(second, "sh", "-c", $"mkdir -p /www && echo page-of-{second} > /www/index.html && httpd -p 80 -h /www")).ExitCode);
        var fetched = await env.ExecAsync(first, "wget", "-q", "-O", "-", $"http://{second}/");
        Assert.True(fetched.ExitCode == 0, fetched.Stderr);
        Assert.Equal($"page-of-{second}", fetched.Stdout.Trim());

        // The same dnsmasq answered the new name: it was told with SIGHUP, not restarted.
        Assert.Equal(pidBefore, Assert.Single(env.NameServerPids()));

        await env.SucceedAsync(env.Client.DeleteAsync(second, force: true));
        Assert.DoesNotContain(secondAddress, (await env.ExecAsync(first, "nslookup", second, gateway)).Stdout, StringComparison.Ordinal);
        Assert.NotEqual(0, (await env.ExecAsync(first, "ping", "-c1", "-W1", second)).ExitCode);

        // dnsmasq is bound to the gateway only, never to the host's other addresses.
        var listening = await Host.RunCheckedAsync("ss", "-lnup", "sport", "= :53");
        Assert.Contains($"{gateway}:53", listening, StringComparison.Ordinal);
        Assert.Equal(pidBefore, Assert.Single(env.NameServerPids()));

        await env.SucceedAsync(env.Client.DeleteAsync(first, force: true));
        await env.SucceedAsync(env.Client.DeleteNetworkAsync(network));
        Assert.Empty(env.NameServerPids());
        Assert.False(Directory.Exists($"/proc/{pidBefore}") && File.ReadAllText($"/proc/{pidBefore}/cmdline").Contains("dnsmasq", StringComparison.Ordinal));
    }
}
