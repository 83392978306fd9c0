namespace Berth.IntegrationTests.Infrastructure;

/// <summary>
/// A client "from the internet": a network namespace joined to the host by a veth pair, with a default route via the
/// host side. Names come from the environment's prefix; the environment deletes them even if this is not disposed.
/// </summary>
public sealed class ClientNamespace : IAsyncDisposable
{
    private ClientNamespace(string name, string hostSide, string hostAddress, string clientAddress)
    {
        Name = name;
        HostSide = hostSide;
        HostAddress = hostAddress;
        ClientAddress = clientAddress;
    }

    public string Name { get; }

    public string HostSide { get; }

    /// <summary>The host's address on the link: what the client connects to.</summary>
    public string HostAddress { get; }

    public string ClientAddress { get; }

    public static async Task<ClientNamespace> CreateAsync(NetworkBerthEnvironment env, string hint)
    {
        ArgumentNullException.ThrowIfNull(env);
        var name = env.NetworkName("s" + hint);
        var hostSide = env.NetworkName("h" + hint);
        var subnet = env.NextSubnet();
        var hostAddress = subnet.Replace(".0/24", ".1", StringComparison.Ordinal);
        var clientAddress = subnet.Replace(".0/24", ".2", StringComparison.Ordinal);
        await Host.RunCheckedAsync("ip", "netns", "add", name);
        await Host.RunCheckedAsync("ip", "link", "add", hostSide, "type", "veth", "peer", "name", "eth0", "netns", name);
        await Host.RunCheckedAsync("ip", "addr", "add", hostAddress + "/24", "dev", hostSide);
        await Host.RunCheckedAsync("ip", "link", "set", hostSide, "up");
        await Host.RunCheckedAsync("ip", "netns", "exec", name, "ip", "addr", "add", clientAddress + "/24", "dev", "eth0");
        await Host.RunCheckedAsync("ip", "netns", "exec", name, "ip", "link", "set", "eth0", "up");
        await Host.RunCheckedAsync("ip", "netns", "exec", name, "ip", "link", "set", "lo", "up");
        await Host.RunCheckedAsync("ip", "netns", "exec", name, "ip", "route", "add", "default", "via", hostAddress);
        return new ClientNamespace(name, hostSide, hostAddress, clientAddress);
    }

    /// <summary>Runs a command inside the namespace.</summary>
    public Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] command) =>
        Host.RunAsync("ip", ["netns", "exec", Name, .. command]);

    public async ValueTask DisposeAsync()
    {
        await Host.RunAsync("ip", "link", "delete", HostSide);
        await Host.RunAsync("ip", "netns", "delete", Name);
    }
}
