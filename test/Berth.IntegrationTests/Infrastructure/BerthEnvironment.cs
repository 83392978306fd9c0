using System.Globalization;
using Berth.Client;
using Berth.Contracts;

namespace Berth.IntegrationTests.Infrastructure;

/// <summary>
/// One isolated Berth for a test class: its own state directory and lxcpath under /tmp, its own berthd, names
/// prefixed with the run id, its own nft table and SSH port range (so a real berthd on the host keeps its firewall).
/// Disposing stops every container it holds and removes everything, even after a failure.
/// </summary>
public class BerthEnvironment : IAsyncLifetime
{
    private static int _counter;

    public BerthEnvironment()
    {
        var number = Interlocked.Increment(ref _counter);
        Prefix = $"t{TestHost.RunId}{number.ToString(CultureInfo.InvariantCulture)}";
        StateDir = Path.Combine(Path.GetTempPath(), $"berth-it-{Prefix}");
        NftTable = $"b{Prefix}";

        // 100 ports in 20000-29999, away from the 40000-50000 a real berthd hands out.
        var first = 20000 + (int)((Convert.ToUInt32(TestHost.RunId, 16) + (uint)number) % 100) * 100;
        SshPorts = (first, first + 99);
    }

    /// <summary>This environment's own nftables table (inet, and bridge when a network is isolated); never "berth".</summary>
    public string NftTable { get; }

    /// <summary>The host ports its daemon hands out for SSH.</summary>
    public (int First, int Last) SshPorts { get; }

    public string Prefix { get; }

    public string StateDir { get; }

    public string LxcPath => Path.Combine(StateDir, "containers");

    public DaemonProcess Daemon { get; private set; } = null!;

    public BerthClient Client { get; private set; } = null!;

    /// <summary>A container name unique to this run.</summary>
    public string Name(string hint) => $"{Prefix}-{hint}";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(StateDir);
        File.SetUnixFileMode(StateDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        Directory.CreateDirectory(TestHost.ImagesDir);
        await StartDaemonAsync(DaemonArguments);
    }

    /// <summary>Extra berthd switches for every start of this environment's daemon.</summary>
    protected virtual string[] DaemonArguments => [];

    private string[] IsolationArguments =>
        ["--nft-table", NftTable, "--ssh-ports", $"{SshPorts.First.ToString(CultureInfo.InvariantCulture)}-{SshPorts.Last.ToString(CultureInfo.InvariantCulture)}"];

    public async Task StartDaemonAsync(params string[] extraArgs)
    {
        Daemon = await DaemonProcess.StartAsync(StateDir, [.. IsolationArguments, .. DaemonArguments, .. extraArgs.Except(DaemonArguments)]);
        Client?.Dispose();
        Client = new BerthClient(StateDir);
    }

    public async Task<JobInfo> WaitAsync(Task<JobInfo> submitted)
    {
        var job = await Client.WaitForJobAsync(await submitted);
        return job;
    }

    /// <summary>Waits for the job and fails the test with the job's error when it did not succeed.</summary>
    public async Task<JobInfo> SucceedAsync(Task<JobInfo> submitted)
    {
        var job = await WaitAsync(submitted);
        Assert.True(job.Status == JobStatus.Succeeded, $"job {job.Kind} {job.Target} ended {job.Status}: {job.Error}\n--- berthd log ---\n{Daemon.Log}");
        return job;
    }

    public Task<JobInfo> LaunchAsync(string name, string image = "busybox", IReadOnlyDictionary<string, string>? config = null, bool start = true) =>
        SucceedAsync(Client.LaunchAsync(new LaunchRequest { Name = name, Image = image, Config = config, Start = start }));

    public Task<JobInfo> ChangeStateAsync(string name, string action, bool force = false, int? timeout = null) =>
        SucceedAsync(Client.ChangeStateAsync(name, new StateChangeRequest { Action = action, Force = force, Timeout = timeout }));

    /// <summary>Runs a command in the container and returns its exit code and output.</summary>
    public async Task<(int ExitCode, string Stdout, string Stderr)> ExecAsync(string name, params string[] command)
    {
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();
        var code = await Client.ExecAsync(name, new ExecRequest { Command = command }, Stream.Null, stdout, stderr);
        return (code, System.Text.Encoding.UTF8.GetString(stdout.ToArray()), System.Text.Encoding.UTF8.GetString(stderr.ToArray()));
    }

    /// <summary>The events the daemon still holds that match (its backlog, read for two seconds): names are unique to this run.</summary>
    public async Task<List<BerthEvent>> RecentEventsAsync(Func<BerthEvent, bool> match)
    {
        var result = new List<BerthEvent>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await foreach (var e in Client.StreamEventsAsync(0, cts.Token))
            {
                if (match(e))
                {
                    result.Add(e);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The backlog has been read.
        }

        return result;
    }

    /// <summary>The progress messages a job reported.</summary>
    public async Task<List<string>> ProgressOfAsync(string jobId) =>
        [.. (await RecentEventsAsync(e => e.JobId == jobId && e.Action == "job.progress" && e.Message is not null)).Select(e => e.Message!)];

    public virtual async Task DisposeAsync()
    {
        Client?.Dispose();
        if (Daemon is not null)
        {
            await Daemon.DisposeAsync();
        }

        if (Directory.Exists(LxcPath))
        {
            foreach (var dir in Directory.GetDirectories(LxcPath))
            {
                await Host.RunAsync("lxc-stop", "-k", "-n", Path.GetFileName(dir), "-P", LxcPath);
            }
        }

        // A network's dnsmasq outlives its daemon on purpose; this environment's go with it.
        await StrayProcesses.KillUnderAsync(StateDir);

        // Pools mount loop files and overlays under the state directory; unmount them before removing it.
        await MountCleanup.UnmountUnderAsync(StateDir);
        await Host.RunAsync("rm", "-rf", "--one-file-system", StateDir);
        await Host.RunAsync("nft", "delete", "table", "inet", NftTable);
        await Host.RunAsync("nft", "delete", "table", "bridge", NftTable);
        File.Delete($"/run/berth/nft-{NftTable}.lock");
        File.Delete($"/run/berth/nft-{NftTable}.owner");
    }
}
