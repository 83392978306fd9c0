using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Consoles;

/// <summary>
/// A Berth environment for console tests: a loopback HTTP port for members' tokens, and the grace period (30 s, or
/// what a subclass names) a dropped console waits for a reattach.
/// </summary>
public class ConsoleBerthEnvironment : BerthEnvironment
{
    public ConsoleBerthEnvironment()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/");

    /// <summary>How long a dropped session waits for a reattach.</summary>
    protected virtual string Grace => "30s";

    protected override string[] DaemonArguments =>
        [.. base.DaemonArguments, "--http", $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}", "--console-grace", Grace];

    /// <summary>A member with a token, and a client that uses it.</summary>
    public async Task<(string User, BerthClient Client)> MemberAsync(string hint)
    {
        var name = Name(hint);
        await Client.CreateUserAsync(new UserCreateRequest { Name = name, Role = "member", Password = "a-good-password-1" });
        var token = (await Client.CreateTokenAsync(name, new TokenCreateRequest { Name = "cli" })).Token;
        return (name, new BerthClient(BaseAddress, token));
    }

    /// <summary>A running busybox container, owned by <paramref name="owner"/> (root when null).</summary>
    public async Task<string> ContainerAsync(string hint, string? owner = null)
    {
        var name = Name(hint);
        await SucceedAsync(Client.LaunchAsync(new LaunchRequest { Name = name, Image = "busybox", Owner = owner }));
        return name;
    }

    /// <summary>The host pid of the process that is <paramref name="pid"/> in the container's own pid namespace, or null.</summary>
    public int? HostPid(string container, int pid)
    {
        var init = InitPid(container);
        if (init is null)
        {
            return null;
        }

        var ns = new FileInfo($"/proc/{init.Value.ToString(CultureInfo.InvariantCulture)}/ns/pid").LinkTarget;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var candidate))
            {
                continue;
            }

            try
            {
                if (new FileInfo(Path.Combine(dir, "ns", "pid")).LinkTarget != ns)
                {
                    continue;
                }

                var nspid = File.ReadAllLines(Path.Combine(dir, "status")).FirstOrDefault(l => l.StartsWith("NSpid:", StringComparison.Ordinal));
                if (nspid?.Split('\t', ' ', StringSplitOptions.RemoveEmptyEntries)[^1] == pid.ToString(CultureInfo.InvariantCulture))
                {
                    return candidate;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while it was looked at.
            }
        }

        return null;
    }

    /// <summary>Whether a host process exists and is not a zombie.</summary>
    public static bool IsRunning(int hostPid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{hostPid.ToString(CultureInfo.InvariantCulture)}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    private int? InitPid(string container)
    {
        var info = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("lxc-info") { ArgumentList = { "-p", "-H", "-n", container, "-P", LxcPath }, RedirectStandardOutput = true })!;
        var text = info.StandardOutput.ReadToEnd().Trim();
        info.WaitForExit();
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }
}
