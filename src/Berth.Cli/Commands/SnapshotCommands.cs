using System.CommandLine;
using Berth.Cli.Output;
using Berth.Contracts;

namespace Berth.Cli.Commands;

/// <summary><c>berth snapshot create|list|restore|delete</c>.</summary>
internal static class SnapshotCommands
{
    public static Command Create() => new("snapshot", "Snapshots of a container's root filesystem") { CreateCreate(), CreateList(), CreateRestore(), CreateDelete() };

    private static Command CreateCreate()
    {
        var container = new Argument<string>("container") { Description = "Container name" };
        var snapshot = new Argument<string?>("snapshot") { Description = "Snapshot name (default: snap-DATE-TIME)", Arity = ArgumentArity.ZeroOrOne };
        var expiry = new Option<string?>("--expiry") { Description = "Prune it after this long, e.g. 7d" };
        var command = new Command("create", "Snapshot a container") { container, snapshot, expiry };
        command.SetAction(CommandAction.Run(async context =>
        {
            var job = await context.Client.CreateSnapshotAsync(context.Get(container), new SnapshotCreateRequest { Name = context.Get(snapshot), Expiry = context.Get(expiry) }, context.CancellationToken).ConfigureAwait(false);
            await context.WaitForJobAsync(job).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command CreateList()
    {
        var container = new Argument<string>("container") { Description = "Container name" };
        var format = FormatOption.Create(FormatOption.Table, FormatOption.Json);
        var command = new Command("list", "List a container's snapshots") { container, format };
        command.Aliases.Add("ls");
        command.SetAction(CommandAction.Run(async context =>
        {
            var snapshots = await context.Client.ListSnapshotsAsync(context.Get(container), context.CancellationToken).ConfigureAwait(false);
            if (context.Get(format) == FormatOption.Json)
            {
                JsonOutput.Write(context.Out, snapshots);
                return 0;
            }

            var table = new TablePrinter("NAME", "CREATED", "EXPIRES");
            foreach (var s in snapshots)
            {
                table.AddRow(s.Name, HumanTime.Format(s.CreatedAt), HumanTime.Format(s.ExpiresAt));
            }

            table.WriteTo(context.Out);
            return 0;
        }));
        return command;
    }

    private static Command CreateRestore()
    {
        var container = new Argument<string>("container") { Description = "Container name" };
        var snapshot = new Argument<string>("snapshot") { Description = "Snapshot name" };
        var stop = new Option<bool>("--stop") { Description = "Stop a running container first and start it again after" };
        var command = new Command("restore", "Restore a container to a snapshot") { container, snapshot, stop };
        command.SetAction(CommandAction.Run(async context =>
        {
            var job = await context.Client.RestoreSnapshotAsync(context.Get(container), context.Get(snapshot), context.Get(stop), context.CancellationToken).ConfigureAwait(false);
            await context.WaitForJobAsync(job).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command CreateDelete()
    {
        var container = new Argument<string>("container") { Description = "Container name" };
        var snapshot = new Argument<string>("snapshot") { Description = "Snapshot name" };
        var command = new Command("delete", "Delete a snapshot") { container, snapshot };
        command.Aliases.Add("rm");
        command.SetAction(CommandAction.Run(async context =>
        {
            var job = await context.Client.DeleteSnapshotAsync(context.Get(container), context.Get(snapshot), context.CancellationToken).ConfigureAwait(false);
            await context.WaitForJobAsync(job).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }
}
