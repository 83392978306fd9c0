using System.CommandLine;
using Berth.Cli.Output;
using Berth.Contracts;

namespace Berth.Cli.Commands;

/// <summary><c>berth storage create|list|show|delete</c>.</summary>
internal static class StorageCommands
{
    public static Command Create() => new("storage", "Manage storage pools") { CreateCreate(), CreateList(), CreateShow(), CreateDelete() };

    private static Command CreateCreate()
    {
        var name = new Argument<string>("name") { Description = "Pool name" };
        var driver = new Option<string>("--driver") { Description = "dir or btrfs", Required = true };
        var source = new Option<string?>("--source") { Description = "An existing directory (dir) or btrfs mount point" };
        var size = new Option<string?>("--size") { Description = "btrfs only: create a loop file of this size, e.g. 20GiB" };
        var command = new Command("create", "Create a storage pool") { name, driver, source, size };
        command.SetAction(CommandAction.Run(async context =>
        {
            var job = await context.Client.CreateStoragePoolAsync(
                new StoragePoolCreateRequest { Name = context.Get(name), Driver = context.Get(driver) ?? "dir", Source = context.Get(source), Size = context.Get(size) },
                context.CancellationToken).ConfigureAwait(false);
            await context.WaitForJobAsync(job).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Created storage pool {context.Get(name)}").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command CreateList()
    {
        var format = FormatOption.Create(FormatOption.Table, FormatOption.Json);
        var command = new Command("list", "List storage pools") { format };
        command.Aliases.Add("ls");
        command.SetAction(CommandAction.Run(async context =>
        {
            var pools = await context.Client.ListStoragePoolsAsync(context.CancellationToken).ConfigureAwait(false);
            if (context.Get(format) == FormatOption.Json)
            {
                JsonOutput.Write(context.Out, pools);
                return 0;
            }

            var table = new TablePrinter("NAME", "DRIVER", "COW", "SIZE", "USED", "CONTAINERS", "PATH");
            foreach (var pool in pools)
            {
                table.AddRow(pool.Name, pool.Driver, pool.CopyOnWrite ? "yes" : "no", pool.SizeBytes is { } s ? HumanSize.Format(s) : "-", DiskUse(pool), pool.Containers.ToString(System.Globalization.CultureInfo.InvariantCulture), pool.Path);
            }

            table.WriteTo(context.Out);
            return 0;
        }));
        return command;
    }

    private static Command CreateShow()
    {
        var name = new Argument<string>("name") { Description = "Pool name" };
        var format = FormatOption.Create(FormatOption.Text, FormatOption.Json);
        var command = new Command("show", "Show a storage pool") { name, format };
        command.SetAction(CommandAction.Run(async context =>
        {
            var pool = await context.Client.GetStoragePoolAsync(context.Get(name), context.CancellationToken).ConfigureAwait(false);
            if (context.Get(format) == FormatOption.Json)
            {
                JsonOutput.Write(context.Out, pool);
                return 0;
            }

            new FieldList()
                .Add("Name", pool.Name)
                .Add("Driver", pool.Driver)
                .Add("Path", pool.Path)
                .Add("Loop file", pool.LoopFile)
                .Add("Size", pool.SizeBytes is { } size ? HumanSize.Format(size) : null)
                .Add("Disk used", pool.DiskTotalBytes is null ? null : DiskUse(pool))
                .Add("Copy-on-write", pool.CopyOnWrite ? "yes" : "no")
                .Add("Containers", pool.Containers.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Add("Created", HumanTime.Format(pool.CreatedAt))
                .WriteTo(context.Out);
            return 0;
        }));
        return command;
    }

    private static Command CreateDelete()
    {
        var name = new Argument<string>("name") { Description = "Pool name" };
        var command = new Command("delete", "Delete an empty storage pool") { name };
        command.Aliases.Add("rm");
        command.SetAction(CommandAction.Run(async context =>
        {
            var job = await context.Client.DeleteStoragePoolAsync(context.Get(name), context.CancellationToken).ConfigureAwait(false);
            await context.WaitForJobAsync(job).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    /// <summary>"3.1 GiB of 20 GiB (15%)": the filesystem the pool lives on; "-" where the daemon does not say (members).</summary>
    private static string DiskUse(StoragePoolInfo pool) => pool is { DiskUsedBytes: { } used, DiskTotalBytes: { } total and > 0 }
        ? $"{HumanSize.Format(used)} of {HumanSize.Format(total)} ({(used * 100 / total).ToString(System.Globalization.CultureInfo.InvariantCulture)}%)"
        : "-";
}
