using System.CommandLine;
using System.Globalization;
using Berth.Cli.Output;
using Berth.Contracts;

namespace Berth.Cli.Commands;

/// <summary><c>berth info NAME [--format text|json]</c>.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "Container name" };
        var format = FormatOption.Create(FormatOption.Text, FormatOption.Json);
        var command = new Command("info", "Show a container's state, resources and configuration") { name, format };
        command.SetAction(CommandAction.Run(async context =>
        {
            var container = await context.Client.GetContainerAsync(context.Get(name), context.CancellationToken).ConfigureAwait(false);
            if (context.Get(format) == FormatOption.Json)
            {
                JsonOutput.Write(context.Out, container);
                return 0;
            }

            new FieldList()
                .Add("Name", container.Name)
                .Add("Status", EnumText.Format(container.Status) + (container.Error is null ? "" : $" ({container.Error})"))
                .Add("Health", HealthText(container))
                .Add("Health failed", container.HealthFailure is null ? null : $"{HumanTime.Format(container.HealthFailureAt)}: {container.HealthFailure}")
                .Add("Managed", YesNo(container.Managed))
                .Add("Image", container.Image)
                .Add("Privileged", YesNo(container.Privileged))
                .Add("Init PID", container.InitPid?.ToString(CultureInfo.InvariantCulture))
                .Add("Host root UID", container.HostRootUid?.ToString(CultureInfo.InvariantCulture))
                .Add("Storage", container.Storage)
                .Add("Addresses", string.Join(", ", container.Addresses))
                .Add("Network", container.Network is null ? null : $"{container.Network} ({string.Join(", ", new[] { container.Ipv4, container.Ipv6 }.OfType<string>())})")
                .Add("More networks", container.Networks.Count < 2 ? null : string.Join("; ", container.Networks.Skip(1).Select(n => $"eth{n.Index.ToString(CultureInfo.InvariantCulture)} {n.Network} ({string.Join(", ", new[] { n.Ipv4, n.Ipv6 }.OfType<string>())})")))
                .Add("Memory", container.MemoryBytes is { } bytes ? HumanSize.Format(bytes) : null)
                .Add("CPU time", container.CpuSeconds is { } cpu ? cpu.ToString("0.00", CultureInfo.InvariantCulture) + " s" : null)
                .Add("Created", HumanTime.Format(container.CreatedAt))
                .Add("Backup", BackupText(container.LastBackup))
                .WriteTo(context.Out);
            if (container.Config.Count > 0)
            {
                await context.Out.WriteLineAsync("Config:").ConfigureAwait(false);
                foreach (var (key, value) in container.Config.OrderBy(entry => entry.Key, StringComparer.Ordinal))
                {
                    await context.Out.WriteLineAsync($"  {key}: {value}").ConfigureAwait(false);
                }
            }

            await LastHourAsync(context, container.Name).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    /// <summary>CPU and memory over the last hour from the daemon's history; nothing when it has no points yet.</summary>
    private static async Task LastHourAsync(CommandContext context, string name)
    {
        var history = await context.Client.GetContainerMetricsAsync(name, "1h", "1m", context.CancellationToken).ConfigureAwait(false);
        var cpu = history.Points.Select(p => p.CpuCores).OfType<double>().ToList();
        var memory = history.Points.Select(p => p.MemoryBytes).OfType<double>().ToList();
        if (cpu.Count == 0 && memory.Count == 0)
        {
            return;
        }

        static string Cores(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);
        static string Bytes(double value) => HumanSize.Format((long)value);
        await context.Out.WriteLineAsync("Last hour:").ConfigureAwait(false);
        if (cpu.Count > 0)
        {
            await context.Out.WriteLineAsync($"  CPU cores: min {Cores(cpu.Min())}, avg {Cores(cpu.Average())}, max {Cores(cpu.Max())}").ConfigureAwait(false);
        }

        if (memory.Count > 0)
        {
            await context.Out.WriteLineAsync($"  Memory: min {Bytes(memory.Min())}, avg {Bytes(memory.Average())}, max {Bytes(memory.Max())}").ConfigureAwait(false);
        }
    }

    private static string YesNo(bool value) => value ? "yes" : "no";

    /// <summary>"healthy", "restarting, 2 restarts", or null when Berth does not watch it.</summary>
    private static string? HealthText(Berth.Contracts.ContainerInfo container)
    {
        string[] parts = [.. new[] { container.Health is { } health ? EnumText.Format(health) : null, container.Restarts > 0 ? $"{container.Restarts.ToString(CultureInfo.InvariantCulture)} restart{(container.Restarts == 1 ? "" : "s")}" : null }.OfType<string>()];
        return parts.Length == 0 ? null : string.Join(", ", parts);
    }
    /// <summary>"ok 2026-12-02 03:00 (to nas)" or "failed 2026-12-02 03:00 (backup to nas: reason); last ok 2026-12-01 03:00".</summary>
    private static string? BackupText(BackupMark? mark) => mark switch
    {
        null => null,
        { Ok: true } => $"ok {HumanTime.Format(mark.Time)} (to {mark.Target})",
        _ => $"failed {HumanTime.Format(mark.Time)} ({mark.Action} to {mark.Target}: {mark.Error}); last ok {HumanTime.Format(mark.LastSuccess)}",
    };
}
