using System.CommandLine;
using Berth.Cli.Output;
using Berth.Contracts;

namespace Berth.Cli.Commands;

/// <summary><c>berth list [--format table|json]</c>.</summary>
internal static class ListCommand
{
    public static Command Create()
    {
        var format = FormatOption.Create(FormatOption.Table, FormatOption.Json);
        var command = new Command("list", "List containers") { format };
        command.Aliases.Add("ls");
        command.SetAction(CommandAction.Run(async context =>
        {
            var containers = await context.Client.ListContainersAsync(context.CancellationToken).ConfigureAwait(false);
            if (context.Get(format) == FormatOption.Json)
            {
                JsonOutput.Write(context.Out, containers);
                return 0;
            }

            // The owner column appears once members own containers here; a single admin's host looks as before.
            var owners = containers.Any(c => c.Owner is not null);
            var table = owners
                ? new TablePrinter("NAME", "STATUS", "ADDRESSES", "IMAGE", "MEMORY", "OWNER")
                : new TablePrinter("NAME", "STATUS", "ADDRESSES", "IMAGE", "MEMORY");
            foreach (var container in containers.OrderBy(container => container.Name, StringComparer.Ordinal))
            {
                // A failed backup stays marked here until the next one succeeds.
                var status = StatusText(container) + (container.LastBackup is { Ok: false } ? " [backup failed]" : "");
                string[] cells = [container.Name, status, string.Join(", ", container.Addresses), container.Image ?? "-", container.MemoryBytes is { } bytes ? HumanSize.Format(bytes) : "-"];
                table.AddRow(owners ? [.. cells, container.Owner ?? "root"] : cells);
            }

            table.WriteTo(context.Out);
            return 0;
        }));
        return command;
    }

    public static string StatusText(ContainerInfo container)
    {
        ArgumentNullException.ThrowIfNull(container);
        string status = EnumText.Format(container.Status) + (container.Error is null ? "" : $" ({container.Error})");
        status += container.Health is { } health ? $" ({EnumText.Format(health)})" : "";
        return container.Managed ? status : $"{status} (unmanaged)";
    }
}
