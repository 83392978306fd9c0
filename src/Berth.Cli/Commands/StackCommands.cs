using System.CommandLine;
using Berth.Cli.Output;
using Berth.Cli.Stacks;
using Berth.Contracts;

namespace Berth.Cli.Commands;

/// <summary><c>berth up|down|ps|logs|restart</c>: declarative stacks from berth.yml (docs/stacks.md).</summary>
internal static class StackCommands
{
    // 'berth restart NAME' already restarts a container, so the stack's restart lives under 'berth stack'.
    public static IEnumerable<Command> Create() => [CreateUp(), CreateDown(), CreatePs(), CreateLogs(), new Command("stack", "Stack actions beyond up, down, ps and logs") { CreateRestart() }];

    private static Option<string> FileOption() => new("--file", "-f") { Description = "The stack file (default: ./berth.yml, with ./berth.override.yml merged over it when present)", HelpName = "FILE" };

    private static Command CreateUp()
    {
        var file = FileOption();
        var dryRun = new Option<bool>("--dry-run") { Description = "Show the plan without changing anything" };
        var profiles = new Option<string[]>("--profile") { Description = "Also bring up the containers of this profile (repeatable)", HelpName = "NAME" };
        var command = new Command("up", "Create or update the stack described by berth.yml; shows the plan, then applies it") { file, dryRun, profiles };
        command.SetAction(CommandAction.Run(async context =>
        {
            var files = StackFiles.Find(context.Get(file));
            var inspect = await context.Client.InspectStackAsync(files.Pack(variables: files.Variables()), context.CancellationToken).ConfigureAwait(false);
            var tar = files.Pack(inspect.Inputs, inspect.Variables);
            var plan = await context.Client.UpStackAsync(inspect.Name, tar, context.Get(dryRun), context.Get(profiles), context.CancellationToken).ConfigureAwait(false);
            var table = new TablePrinter("KIND", "NAME", "OBJECT", "ACTION", "REASON");
            foreach (var item in plan.Items)
            {
                table.AddRow(item.Kind, item.Name, item.Object, item.Action, item.Reason ?? "");
            }

            table.WriteTo(context.Out);
            if (plan.Job is { } job)
            {
                await context.WaitForJobAsync(job).ConfigureAwait(false);
                await context.Out.WriteLineAsync($"Stack {plan.Stack} is up").ConfigureAwait(false);
            }
            else if (!plan.DryRun)
            {
                await context.Out.WriteLineAsync($"Stack {plan.Stack} is up to date").ConfigureAwait(false);
            }

            return 0;
        }));
        return command;
    }

    private static Command CreateDown()
    {
        var file = FileOption();
        var keep = new Option<bool>("--keep-data") { Description = "Stop the containers but keep them (and their data), networks and bases" };
        var command = new Command("down", "Stop and delete the stack's containers, bases and networks") { file, keep };
        command.SetAction(CommandAction.Run(async context =>
        {
            var name = await StackFiles.Find(context.Get(file)).NameAsync(context.Client, context.CancellationToken).ConfigureAwait(false);
            await context.WaitForJobAsync(await context.Client.DownStackAsync(name, context.Get(keep), context.CancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Stack {name} is down").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command CreatePs()
    {
        var file = FileOption();
        var format = FormatOption.Create(FormatOption.Table, FormatOption.Json);
        var command = new Command("ps", "Show the stack's containers: state, health, address and forwards") { file, format };
        command.SetAction(CommandAction.Run(async context =>
        {
            var stack = await context.Client.GetStackAsync(await StackFiles.Find(context.Get(file)).NameAsync(context.Client, context.CancellationToken).ConfigureAwait(false), context.CancellationToken).ConfigureAwait(false);
            if (context.Get(format) == FormatOption.Json)
            {
                JsonOutput.Write(context.Out, stack);
                return 0;
            }

            var table = new TablePrinter("NAME", "CONTAINER", "STATUS", "HEALTH", "IPV4", "FORWARDS");
            foreach (var c in stack.Containers)
            {
                table.AddRow(c.Name, c.Container, c.Status.ToString().ToLowerInvariant(), c.Health, c.Ipv4 ?? "-", c.Forwards.Count == 0 ? "-" : string.Join(',', c.Forwards));
            }

            table.WriteTo(context.Out);
            return 0;
        }));
        return command;
    }

    private static Command CreateLogs()
    {
        var name = new Argument<string>("name") { Description = "The container's key in the stack file, e.g. web" };
        var file = new Option<string>("--file") { Description = "The stack file (default: ./berth.yml)", HelpName = "FILE" };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new output" };
        var command = new Command("logs", "Print a stack container's service output") { name, file, follow };
        command.SetAction(CommandAction.Run(async context =>
        {
            var stack = await StackFiles.Find(context.Get(file)).NameAsync(context.Client, context.CancellationToken).ConfigureAwait(false);
            long offset = 0;
            while (true)
            {
                var chunk = await context.Client.GetStackLogsAsync(stack, context.Get(name), offset, context.CancellationToken).ConfigureAwait(false);
                await context.Out.WriteAsync(chunk.Text).ConfigureAwait(false);
                await context.Out.FlushAsync(context.CancellationToken).ConfigureAwait(false);
                if (!context.Get(follow))
                {
                    return 0;
                }

                if (chunk.Next == offset)
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), context.CancellationToken).ConfigureAwait(false);
                }

                offset = chunk.Next;
            }
        }));
        return command;
    }

    private static Command CreateRestart()
    {
        var name = new Argument<string>("name") { Description = "The container's key in the stack file (its dependents restart after it)", Arity = ArgumentArity.ZeroOrOne };
        var file = FileOption();
        var command = new Command("restart", "Restart a stack container and its dependents in dependency order, waiting for health") { name, file };
        command.SetAction(CommandAction.Run(async context =>
        {
            var stack = await StackFiles.Find(context.Get(file)).NameAsync(context.Client, context.CancellationToken).ConfigureAwait(false);
            var container = context.Get(name);
            await context.WaitForJobAsync(await context.Client.RestartStackAsync(stack, container, context.CancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Restarted {container ?? "stack " + stack}").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }
}
