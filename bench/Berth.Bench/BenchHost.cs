using System.Diagnostics;
using Berth.Client;
using Berth.Contracts;

namespace Berth.Bench;

/// <summary>A berthd on a throwaway state directory (its own lxcpath), removed with everything in it at the end.</summary>
public sealed class BenchHost : IAsyncDisposable
{
    private readonly Process _daemon;

    private BenchHost(string stateDir, Process daemon, BerthClient client)
    {
        StateDir = stateDir;
        _daemon = daemon;
        Client = client;
    }

    public string StateDir { get; }

    public string LxcPath => Path.Combine(StateDir, "containers");

    public BerthClient Client { get; }

    /// <summary>berthd's process id, for reading its /proc entries.</summary>
    public int DaemonPid => _daemon.Id;

    /// <summary>This run's own nftables table (never the host's "berth").</summary>
    public string NftTable => "bench" + Path.GetFileName(StateDir)[^6..];

    /// <summary>Bridges (networks) a benchmark created; removed at the end even if it failed.</summary>
    public List<string> Bridges { get; } = [];

    public static async Task<BenchHost> StartAsync(params string[] daemonArgs)
    {
        var root = FindRoot();
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var daemonDll = Path.Combine(root, "src/Berth.Daemon/bin", configuration, "net10.0/berthd.dll");
        var stateDir = Path.Combine(Path.GetTempPath(), $"berth-bench-{Guid.NewGuid():N}"[..24]);
        Directory.CreateDirectory(stateDir);
        File.SetUnixFileMode(stateDir, (UnixFileMode)0b111_001_001);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        int httpPort;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            httpPort = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }

        // The proxy on loopback ports of its own, never the host's 80 and 443.
        var proxyHttp = FreePort();
        var proxyHttps = FreePort();
        foreach (var arg in new[] { daemonDll, "--state-dir", stateDir, "--images-dir", "/var/tmp/berth-test-images", "--nft-table", "bench" + Path.GetFileName(stateDir)[^6..], "--ssh-ports", "30000-30999", "--http", $"127.0.0.1:{httpPort}", "--proxy-http", $"127.0.0.1:{proxyHttp}", "--proxy-https", $"127.0.0.1:{proxyHttps}" }.Concat(daemonArgs))
        {
            info.ArgumentList.Add(arg);
        }

        var daemon = Process.Start(info)!;
        daemon.OutputDataReceived += (_, _) => { };
        daemon.ErrorDataReceived += (_, _) => { };
        daemon.BeginOutputReadLine();
        daemon.BeginErrorReadLine();
        var client = new BerthClient(stateDir);
        for (var i = 0; ; i++)
        {
            try
            {
                await client.GetServerInfoAsync();
                break;
            }
            catch (BerthConnectionException) when (i < 300)
            {
                await Task.Delay(100);
            }
        }

        // Build the busybox image before anything is timed.
        await client.WaitForJobAsync(await client.BuildImageAsync("busybox"));
        return new BenchHost(stateDir, daemon, client) { HttpAddress = new Uri($"http://127.0.0.1:{httpPort}/"), ProxyHttpPort = proxyHttp };
    }

    /// <summary>Where the daemon's nginx takes HTTP.</summary>
    public int ProxyHttpPort { get; private init; }

    /// <summary>A loopback port nothing listens on now.</summary>
    public static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>Every nginx process (master or worker) holding <paramref name="errorLog"/> open: those of one prefix only.</summary>
    public static IReadOnlyList<int> NginxHolding(string errorLog)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                if (int.TryParse(Path.GetFileName(dir), System.Globalization.CultureInfo.InvariantCulture, out var pid) && File.ReadAllText(Path.Combine(dir, "comm")).Trim() == "nginx"
                    && Directory.EnumerateFileSystemEntries(Path.Combine(dir, "fd")).Any(fd => new FileInfo(fd).LinkTarget == errorLog))
                {
                    found.Add(pid);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    /// <summary>The daemon's loopback HTTP listener, for benchmarks that call as a user with a token.</summary>
    public Uri HttpAddress { get; private init; } = new("http://127.0.0.1/");

    /// <summary>The admin token, for calling over <see cref="HttpAddress"/> as root.</summary>
    public string AdminToken => File.ReadAllText(Path.Combine(StateDir, "admin.token")).Trim();

    public async Task<JobInfo> RunAsync(Task<JobInfo> submitted)
    {
        var job = await Client.WaitForJobAsync(await submitted);
        if (job.Status != JobStatus.Succeeded)
        {
            throw new InvalidOperationException($"{job.Kind} {job.Target} failed: {job.Error}");
        }

        return job;
    }

    public static async Task<string> ToolAsync(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)}: {await stderr}");
        }

        return await stdout;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var dir in Directory.Exists(LxcPath) ? Directory.GetDirectories(LxcPath) : [])
        {
            try
            {
                await ToolAsync("lxc-stop", "-k", "-n", Path.GetFileName(dir), "-P", LxcPath);
            }
            catch (InvalidOperationException)
            {
                // Already stopped.
            }
        }

        _daemon.Kill();
        await _daemon.WaitForExitAsync();
        Client.Dispose();

        // Its nginx lives on without berthd, as it should; this run's is found by its error log (twice: a worker mid-reload can outlive the first pass).
        for (var pass = 0; pass < 2; pass++)
        {
            foreach (var pid in NginxHolding(Path.Combine(StateDir, "proxy", "logs", "error.log")))
            {
                await TryToolAsync("kill", "-KILL", pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            await Task.Delay(500);
        }

        // Pools mount loop files and overlays under the state directory.
        var root = StateDir.TrimEnd('/') + "/";
        foreach (var mountPoint in File.ReadLines("/proc/self/mountinfo").Select(l => l.Split(' ')[4]).Where(m => m.StartsWith(root, StringComparison.Ordinal)).OrderByDescending(m => m.Length))
        {
            await ToolAsync("umount", "--", mountPoint);
        }

        var dns = Path.Combine(StateDir, "dns");
        foreach (var pidFile in Directory.Exists(dns) ? Directory.GetFiles(dns, "dnsmasq.pid", SearchOption.AllDirectories) : [])
        {
            await TryToolAsync("kill", "-TERM", (await File.ReadAllTextAsync(pidFile)).Trim());
        }

        foreach (var bridge in Bridges)
        {
            await TryToolAsync("ip", "link", "delete", bridge);
        }

        await TryToolAsync("nft", "delete", "table", "inet", NftTable);
        await TryToolAsync("nft", "delete", "table", "bridge", NftTable);
        await ToolAsync("rm", "-rf", "--one-file-system", StateDir);
    }

    private static async Task TryToolAsync(string program, params string[] args)
    {
        try
        {
            await ToolAsync(program, args);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Berth.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("run from the repository's build output");
    }
}
