using Berth.Bench;

// Each benchmark measures Berth and its anchor in the same run, on the same lxcpath, and prints the ratio.
var which = args.FirstOrDefault() ?? "all";
var count = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 0;
// Ctrl-C ends a benchmark that watches for it (metrics) through its normal clean-up instead of killing the process.
using var interrupted = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (which is "metrics")
    {
        e.Cancel = true;
        interrupted.Cancel();
    }
};
// kill (SIGTERM) likewise, so a run stopped from outside removes what it made too.
using var terminated = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
{
    if (which is "metrics")
    {
        context.Cancel = true;
        interrupted.Cancel();
    }
});
await using var bench = which is "metrics" ? await BenchHost.StartAsync("--metrics-interval", "1s") : await BenchHost.StartAsync();
if (which is "lifecycle" or "all")
{
    await LifecycleBenchmark.RunAsync(bench, count > 0 ? count : 50);
}

if (which is "listing" or "all")
{
    await ListingBenchmark.RunAsync(bench, count > 0 ? count : 200);
}

if (which is "network" or "all")
{
    await NetworkBenchmark.RunAsync(bench, count > 0 ? count : 50);
}

if (which is "storage" or "all")
{
    await StorageBenchmark.RunAsync(bench, count > 0 ? count : 5);
}

if (which is "cli" or "all")
{
    await CliBenchmark.RunAsync(bench, count > 0 ? count : 100);
}

if (which is "peer")
{
    await PeerBenchmark.RunAsync(bench, count > 0 ? count : 100);
}

if (which is "soak")
{
    await SoakBenchmark.RunAsync(bench, count > 0 ? count : 2000);
}

if (which is "members")
{
    await MembersBenchmark.RunAsync(bench, count > 0 ? count : 500);
}

if (which is "proxy" or "all")
{
    await ProxyBenchmark.RunAsync(bench, count > 0 ? count : 50);
}

if (which is "stacks")
{
    await StacksBenchmark.RunAsync(bench);
}

if (which is "backup")
{
    await BackupBenchmark.RunAsync(bench, count);
}

if (which is "archive")
{
    await StorageBenchmark.ArchiveOnlyAsync(bench);
}

if (which is "panel")
{
    await PanelBenchmark.RunAsync(bench, count > 0 ? count : 500);
}

if (which is "screenshots")
{
    await PanelScreenshots.RunAsync(bench);
}

if (which is "metrics")
{
    await MetricsBenchmark.RunAsync(bench, count > 0 ? count : 500, TimeSpan.FromMinutes(args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 5), interrupted.Token);
}

return 0;
