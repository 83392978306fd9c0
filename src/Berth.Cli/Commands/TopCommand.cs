using System.CommandLine;
using System.Globalization;
using Berth.Cli.Output;
using Berth.Contracts;

namespace Berth.Cli.Commands;

/// <summary><c>berth top [--sort cpu|memory] [--once]</c>: containers by what they use, refreshed every 2 s.</summary>
internal static class TopCommand
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(2);

    public static Command Create()
    {
        var sort = new Option<string>("--sort") { Description = "Order by cpu or memory", DefaultValueFactory = _ => "cpu" };
        sort.AcceptOnlyFromAmong("cpu", "memory");
        var once = new Option<bool>("--once") { Description = "Print one table (rates over one second) and exit, for scripts" };
        var command = new Command("top", "Show containers by CPU and memory use, live") { sort, once };
        command.SetAction(CommandAction.Run(async context =>
        {
            var before = await context.Client.GetUsageAsync(context.CancellationToken).ConfigureAwait(false);
            if (context.Get(once))
            {
                await Task.Delay(TimeSpan.FromSeconds(1), context.CancellationToken).ConfigureAwait(false);
                Table(before, await context.Client.GetUsageAsync(context.CancellationToken).ConfigureAwait(false), context.Get(sort)!).WriteTo(context.Out);
                return 0;
            }

            while (!context.CancellationToken.IsCancellationRequested)
            {
                await Task.Delay(Refresh, context.CancellationToken).ConfigureAwait(false);
                var now = await context.Client.GetUsageAsync(context.CancellationToken).ConfigureAwait(false);
                // Home and clear, so the table redraws in place.
                await context.Out.WriteAsync("\u001b[H\u001b[2J").ConfigureAwait(false);
                Table(before, now, context.Get(sort)!).WriteTo(context.Out);
                await context.Out.FlushAsync(context.CancellationToken).ConfigureAwait(false);
                before = now;
            }

            return 0;
        }));
        return command;
    }

    /// <summary>One row per container, with rates between the two readings.</summary>
    internal static TablePrinter Table(IReadOnlyList<ContainerUsageInfo> before, IReadOnlyList<ContainerUsageInfo> now, string sort)
    {
        var previous = before.ToDictionary(u => u.Name, StringComparer.Ordinal);
        var rows = now.Select(u =>
        {
            double? cpu = null, rx = null, tx = null;
            if (previous.TryGetValue(u.Name, out var p) && u.At > p.At && u.CpuSeconds is { } c && p.CpuSeconds is { } pc && c >= pc)
            {
                var seconds = (u.At - p.At).TotalSeconds;
                cpu = (c - pc) / seconds * 100;
                rx = Math.Max(0, u.RxBytes - p.RxBytes) / seconds;
                tx = Math.Max(0, u.TxBytes - p.TxBytes) / seconds;
            }

            return (Usage: u, Cpu: cpu, Rx: rx, Tx: tx);
        });
        rows = sort == "memory"
            ? rows.OrderByDescending(r => r.Usage.MemoryBytes ?? -1).ThenBy(r => r.Usage.Name, StringComparer.Ordinal)
            : rows.OrderByDescending(r => r.Cpu ?? -1).ThenBy(r => r.Usage.Name, StringComparer.Ordinal);
        var table = new TablePrinter("NAME", "STATE", "CPU%", "MEMORY", "LIMIT", "NET RX/TX", "PIDS");
        foreach (var (u, cpu, rx, tx) in rows)
        {
            table.AddRow(
                u.Name,
                u.State,
                cpu is { } percent ? percent.ToString("0.0", CultureInfo.InvariantCulture) : "-",
                u.MemoryBytes is { } memory ? HumanSize.Format(memory) : "-",
                u.MemoryLimitBytes is { } limit ? HumanSize.Format(limit) : "-",
                rx is { } r && tx is { } t ? $"{HumanSize.Format((long)r)}/s / {HumanSize.Format((long)t)}/s" : "-",
                u.Processes?.ToString(CultureInfo.InvariantCulture) ?? "-");
        }

        return table;
    }
}
