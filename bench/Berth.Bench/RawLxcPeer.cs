namespace Berth.Bench;

/// <summary>
/// Where LXD is not installed: LXC's own tools on Berth's lxcpath (busybox template, no network device, root mapped
/// to the range Berth uses). There is no daemon, no API and no addresses: those rows are left out.
/// </summary>
public sealed class RawLxcPeer(BenchHost host) : PeerAnchor
{
    private readonly string _config = Path.Combine(host.StateDir, "peer-raw.conf");
    private readonly List<string> _made = [];

    /// <summary>An lxcpath of its own, so Berth's listing does not see these containers.</summary>
    private readonly string _lxcPath = Path.Combine(host.StateDir, "peer-raw");

    public override string Label => "raw lxc-* (LXD missing)";

    public override bool Networked => false;

    public override async Task PrepareAsync(BenchHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var idmap = (await host.Client.GetServerInfoAsync()).IdMap.Split(", ");
        Directory.CreateDirectory(_lxcPath);
        await File.WriteAllTextAsync(_config, $"lxc.net.0.type = empty\nlxc.idmap = {idmap[0]}\nlxc.idmap = {idmap[1]}\n");
    }

    public override async Task<TimeSpan> LaunchAsync(string name)
    {
        lock (_made)
        {
            _made.Add(name);
        }

        var create = await PeerBenchmark.RunAsync("lxc-create", ["-t", "busybox", "-n", name, "-P", _lxcPath, "-f", _config]);
        var start = await PeerBenchmark.RunAsync("lxc-start", ["-n", name, "-P", _lxcPath]);
        return create.Time + start.Time;
    }

    public override async Task<TimeSpan> ExecTrueAsync(string name) => (await PeerBenchmark.RunAsync("lxc-attach", ["-n", name, "-P", _lxcPath, "--", "true"])).Time;

    public override async Task<TimeSpan> ListCliAsync() => (await PeerBenchmark.RunAsync("lxc-ls", ["-f", "-P", _lxcPath])).Time;

    public override Task<TimeSpan> ListApiAsync() => ListCliAsync();

    public override async Task<TimeSpan> DeleteAsync(IReadOnlyList<string> names)
    {
        var total = TimeSpan.Zero;
        foreach (var name in names)
        {
            total += (await PeerBenchmark.RunAsync("lxc-stop", ["-k", "-n", name, "-P", _lxcPath])).Time;
            total += (await PeerBenchmark.RunAsync("lxc-destroy", ["-n", name, "-P", _lxcPath])).Time;
            lock (_made)
            {
                _made.Remove(name);
            }
        }

        return total;
    }

    public override Task<string> AddressAsync(string name) => throw new NotSupportedException("raw lxc-* containers have no network here");

    public override double? DaemonRss() => null;

    public override async ValueTask DisposeAsync()
    {
        foreach (var name in _made.ToList())
        {
            if (Directory.Exists(Path.Combine(_lxcPath, name, "rootfs")))
            {
                await DeleteAsync([name]);
            }
        }
    }
}
