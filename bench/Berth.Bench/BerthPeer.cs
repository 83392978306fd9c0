namespace Berth.Bench;

/// <summary>Berth's side of <see cref="PeerBenchmark"/>: its CLI (the AOT binary where it was published) and its API on the Unix socket.</summary>
public sealed class BerthPeer(BenchHost host, string network)
{
    private readonly Dictionary<string, string> _environment = new() { ["BERTH_DIR"] = host.StateDir };
    private readonly HttpClient _http = PeerAnchor.UnixHttp(Path.Combine(host.StateDir, "unix.socket"));
    private readonly List<string> _made = [];

    public string Cli { get; } = File.Exists(Aot) ? "AOT CLI" : "JIT CLI";

    private static string Aot => Path.Combine(BenchHost.FindRoot(), "src/Berth.Cli/bin/Release/net10.0/linux-x64/publish/berth");

    public async Task<TimeSpan> LaunchAsync(string name)
    {
        lock (_made)
        {
            _made.Add(name);
        }

        return await RunAsync("launch", "busybox", name, "--network", network);
    }

    public Task<TimeSpan> ExecTrueAsync(string name) => RunAsync("exec", name, "--", "true");

    public Task<TimeSpan> ListCliAsync() => RunAsync("list");

    public Task<TimeSpan> ListApiAsync() => PeerAnchor.GetAsync(_http, "api/v1/containers");

    public Task<TimeSpan> DeleteAsync(IReadOnlyList<string> names) => RunAsync(["delete", "--force", .. names]);

    public async Task<IReadOnlyList<string>> AddressesAsync(IReadOnlyList<string> names)
    {
        var listed = (await host.Client.ListContainersAsync()).Where(c => names.Contains(c.Name)).ToList();
        return listed.Count == names.Count && listed.All(c => c.Ipv4 is not null)
            ? listed.Select(c => c.Ipv4!).ToList()
            : throw new InvalidOperationException("a launched container has no address");
    }

    /// <summary>Whatever this run launched and has not deleted (after a failure).</summary>
    public async Task DeleteEverythingAsync()
    {
        var left = (await host.Client.ListContainersAsync()).Select(c => c.Name).Where(_made.Contains).ToList();
        if (left.Count > 0)
        {
            await DeleteAsync(left);
        }

        _http.Dispose();
    }

    private Task<TimeSpan> RunAsync(params string[] args) => Time(File.Exists(Aot) ? Aot : "dotnet", File.Exists(Aot) ? args : [Path.Combine(BenchHost.FindRoot(), "src/Berth.Cli/bin/Release/net10.0/berth.dll"), .. args]);

    private async Task<TimeSpan> Time(string program, string[] args) => (await PeerBenchmark.RunAsync(program, args, _environment)).Time;
}
