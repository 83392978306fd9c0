using System.CommandLine;
using System.Globalization;
using Berth.Cli.Output;

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
                .WriteTo(context.Out);
            if (container.Config.Count > 0)
            {
                await context.Out.WriteLineAsync("Config:").ConfigureAwait(false);
                foreach (var (key, value) in container.Config.OrderBy(entry => entry.Key, StringComparer.Ordinal))
                {
                    await context.Out.WriteLineAsync($"  {key}: {value}").ConfigureAwait(false);
                }
            }

            return 0;
        }));
        return command;
    }

    private static string YesNo(bool value) => value ? "yes" : "no";
}
