using System.CommandLine;
using Berth.Cli.Output;
using Berth.Contracts;

namespace Berth.Cli.Commands;

/// <summary><c>berth update run|status|log</c>: unattended updates (snapshot, apt dist-upgrade, health check, rollback).</summary>
internal static class UpdateCommands
{
    public static Command Create() => new("update", "Update containers' packages (apt), rolling back when it fails") { CreateRun(), CreateStatus(), CreateLog() };

    private static Command CreateRun()
    {
        var container = new Argument<string>("container") { Description = "Container to update" };
        var command = new Command("run", "Snapshot, upgrade with apt, check its health; roll back on failure") { container };
        command.SetAction(CommandAction.Run(async context =>
        {
            var name = context.Get(container);
            var job = await context.Client.RunUpdateAsync(name, context.CancellationToken).ConfigureAwait(false);
            try
            {
                await context.WaitForJobAsync(job).ConfigureAwait(false);
            }
            catch (CliException failed)
            {
                throw new CliException($"{failed.Message}\n('berth update log {name}' shows the whole log)");
            }
            var status = await context.Client.GetUpdateStatusAsync(name, cancellationToken: context.CancellationToken).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Updated {name}: {status.LastRun?.Summary ?? "nothing to upgrade"}").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command CreateStatus()
    {
        var container = new Argument<string?>("container") { Description = "Only this container (default: every container)", Arity = ArgumentArity.ZeroOrOne };
        var pending = new Option<bool>("--pending") { Description = "Also list the upgrades apt would make (runs apt-get update in the container)" };
        var format = FormatOption.Create(FormatOption.Table, FormatOption.Json);
        var command = new Command("status", "When each container was last updated, how it went, when the next is due") { container, pending, format };
        command.SetAction(CommandAction.Run(async context =>
        {
            var name = context.Get(container);
            if (name is null && context.Get(pending))
            {
                throw new CliException("--pending needs a container: berth update status CONTAINER --pending");
            }

            IReadOnlyList<UpdateStatusInfo> statuses = name is null
                ? await context.Client.ListUpdateStatusAsync(context.CancellationToken).ConfigureAwait(false)
                : [await context.Client.GetUpdateStatusAsync(name, context.Get(pending), context.CancellationToken).ConfigureAwait(false)];
            if (context.Get(format) == FormatOption.Json)
            {
                if (name is null)
                {
                    JsonOutput.Write(context.Out, statuses);
                }
                else
                {
                    JsonOutput.Write(context.Out, statuses[0]);
                }

                return 0;
            }

            var table = new TablePrinter("CONTAINER", "AUTO", "EVERY", "WINDOW", "LAST RUN", "RESULT", "NEXT DUE");
            foreach (var s in statuses)
            {
                table.AddRow(
                    s.Container,
                    s.Supported ? (s.Auto ? "yes" : "no") : s.Reason ?? "not supported",
                    s.Every,
                    s.Window.Length == 0 ? "any time" : s.Window,
                    HumanTime.Format(s.LastRun?.StartedAt),
                    s.LastRun?.Result ?? "-",
                    HumanTime.Format(s.NextDueAt));
            }

            table.WriteTo(context.Out);
            if (name is not null && statuses[0].LastRun is { } last)
            {
                await context.Out.WriteLineAsync().ConfigureAwait(false);
                await context.Out.WriteLineAsync($"Last run: job {last.JobId}, {last.Result}{(last.Summary is { } summary ? $": {summary}" : "")}").ConfigureAwait(false);
                if (last.Error is { } error)
                {
                    await context.Out.WriteLineAsync($"Error: {error}").ConfigureAwait(false);
                }

                if (last.Snapshot is { } snapshot)
                {
                    await context.Out.WriteLineAsync($"Snapshot before it: {snapshot}").ConfigureAwait(false);
                }

                await context.Out.WriteLineAsync($"Log: {last.LogPath ?? $"berth update log {name}"}").ConfigureAwait(false);
            }

            if (statuses.Count == 1 && statuses[0].Pending is { } upgrades)
            {
                await context.Out.WriteLineAsync().ConfigureAwait(false);
                if (upgrades.Count == 0)
                {
                    await context.Out.WriteLineAsync("No upgrades pending").ConfigureAwait(false);
                }
                else
                {
                    var pendingTable = new TablePrinter("PACKAGE", "INSTALLED", "CANDIDATE");
                    foreach (var p in upgrades)
                    {
                        pendingTable.AddRow(p.Package, p.Installed, p.Candidate);
                    }

                    pendingTable.WriteTo(context.Out);
                }
            }

            return 0;
        }));
        return command;
    }

    private static Command CreateLog()
    {
        var container = new Argument<string>("container") { Description = "Container name" };
        var command = new Command("log", "Show the log of a container's last update") { container };
        command.SetAction(CommandAction.Run(async context =>
        {
            var log = await context.Client.GetUpdateLogAsync(context.Get(container), context.CancellationToken).ConfigureAwait(false);
            await context.Out.WriteAsync(log.Text).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }
}
