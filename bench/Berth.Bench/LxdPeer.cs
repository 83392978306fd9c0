using System.Globalization;
using System.Text.Json;

namespace Berth.Bench;

/// <summary>
/// LXD through its own client <c>lxc</c> and its local API (<c>/var/lib/lxd/unix.socket</c>, or <c>$LXD_DIR</c>), with
/// Berth's busybox root filesystem imported as an image (its rcS asks for a DHCP lease again: LXD hands out addresses
/// that way) and LXD's default profile (root disk on its pool, eth0 on its bridge).
/// </summary>
public sealed class LxdPeer : PeerAnchor
{
    private readonly string _id;
    private readonly HttpClient _http;
    private readonly string _alias;

    private LxdPeer(string id, HttpClient http)
    {
        _id = id;
        _http = http;
        _alias = $"berth-bench-{id}";
    }

    public override string Label => "LXD (lxc)";

    /// <summary>LXD where its client is on the PATH and its daemon answers; null (saying why) otherwise.</summary>
    public static async Task<LxdPeer?> FindAsync(string id)
    {
        var socket = Path.Combine(Environment.GetEnvironmentVariable("LXD_DIR") ?? "/var/lib/lxd", "unix.socket");
        if (!OnPath("lxc") || !File.Exists(socket))
        {
            Console.WriteLine("peer: LXD is missing (no lxc client or no LXD socket; see bench/README.md, peer); raw lxc-* is the anchor");
            return null;
        }

        var http = UnixHttp(socket);
        try
        {
            await GetAsync(http, "1.0");
            return new LxdPeer(id, http);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or System.Net.Sockets.SocketException)
        {
            http.Dispose();
            Console.WriteLine($"peer: LXD does not answer on {socket} ({ex.Message}); raw lxc-* is the anchor");
            return null;
        }
    }

    public override async Task PrepareAsync(BenchHost host)
    {
        var image = await host.Client.GetImageAsync("busybox");
        var work = Path.Combine(host.StateDir, "lxd-image");
        var rootfs = Path.Combine(work, "rootfs");
        Directory.CreateDirectory(work);
        await BenchHost.ToolAsync("cp", "-a", "--", Path.Combine("/var/tmp/berth-test-images", image.Fingerprint, "rootfs"), rootfs);
        await File.AppendAllTextAsync(Path.Combine(rootfs, "etc/init.d/rcS"), "/bin/udhcpc\n");
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        await File.WriteAllTextAsync(Path.Combine(work, "metadata.yaml"), $"architecture: x86_64\ncreation_date: {created}\nproperties:\n  description: Berth's busybox (bench)\n");
        await BenchHost.ToolAsync("tar", "-C", work, "-czf", Path.Combine(work, "meta.tar.gz"), "metadata.yaml");
        await BenchHost.ToolAsync("tar", "-C", rootfs, "--numeric-owner", "-czf", Path.Combine(work, "rootfs.tar.gz"), ".");
        await BenchHost.ToolAsync("lxc", "image", "import", Path.Combine(work, "meta.tar.gz"), Path.Combine(work, "rootfs.tar.gz"), "--alias", _alias);
        await BenchHost.ToolAsync("rm", "-rf", "--one-file-system", work);
    }

    public override async Task<TimeSpan> LaunchAsync(string name) => (await PeerBenchmark.RunAsync("lxc", ["launch", _alias, name])).Time;

    public override async Task<TimeSpan> ExecTrueAsync(string name) => (await PeerBenchmark.RunAsync("lxc", ["exec", name, "--", "true"])).Time;

    public override async Task<TimeSpan> ListCliAsync() => (await PeerBenchmark.RunAsync("lxc", ["list", "--format", "csv"])).Time;

    /// <summary>What <c>lxc list</c> asks: every instance with its state (addresses, memory).</summary>
    public override Task<TimeSpan> ListApiAsync() => GetAsync(_http, "1.0/instances?recursion=2");

    public override async Task<TimeSpan> DeleteAsync(IReadOnlyList<string> names) => (await PeerBenchmark.RunAsync("lxc", ["delete", "--force", .. names])).Time;

    public override async Task<string> AddressAsync(string name)
    {
        for (var i = 0; i < 1200; i++)
        {
            using var state = JsonDocument.Parse(await _http.GetStringAsync($"1.0/instances/{name}/state"));
            if (state.RootElement.GetProperty("metadata").GetProperty("network") is { ValueKind: JsonValueKind.Object } network
                && network.TryGetProperty("eth0", out var eth0)
                && eth0.GetProperty("addresses").EnumerateArray().FirstOrDefault(a => a.GetProperty("family").GetString() == "inet") is { ValueKind: JsonValueKind.Object } inet)
            {
                return inet.GetProperty("address").GetString()!;
            }

            await Task.Delay(50);
        }

        throw new InvalidOperationException($"LXD gave {name} no IPv4 address");
    }

    /// <summary>The LXD daemon: the process named lxd whose parent is not one (its forks are).</summary>
    public override double? DaemonRss()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var parent = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1];
                if (stat.Contains("(lxd)", StringComparison.Ordinal) && !File.ReadAllText($"/proc/{parent}/stat").Contains("(lxd)", StringComparison.Ordinal))
                {
                    return PeerBenchmark.Rss(int.Parse(Path.GetFileName(dir), CultureInfo.InvariantCulture));
                }
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException)
            {
                // Gone, or a thread without memory of its own (no VmRSS line).
            }
        }

        return null;
    }

    public override async ValueTask DisposeAsync()
    {
        var (_, listed) = await PeerBenchmark.RunAsync("lxc", ["list", "--format", "csv", "-c", "n"]);
        var ours = listed.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(n => n.Contains(_id, StringComparison.Ordinal)).ToList();
        if (ours.Count > 0)
        {
            await DeleteAsync(ours);
        }

        try
        {
            await BenchHost.ToolAsync("lxc", "image", "delete", _alias);
        }
        catch (InvalidOperationException)
        {
            // Never imported (the run failed before).
        }

        _http.Dispose();
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, program)));
}
