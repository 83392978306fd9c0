using System.CommandLine;
using Berth.Contracts;

namespace Berth.Cli.Commands;

/// <summary><c>berth start|stop|restart|freeze|unfreeze NAME...</c>; stop and restart take --force and --timeout.</summary>
internal static class ContainerStateCommands
{
    public static IEnumerable<Command> Create()
    {
        yield return Create("start", "Start containers", graceful: false);
        yield return Create("stop", "Stop containers (gracefully, then by force after the timeout)", graceful: true);
        yield return Create("restart", "Restart containers", graceful: true);
        yield return Create("freeze", "Freeze (pause) containers", graceful: false);
        yield return Create("unfreeze", "Unfreeze (resume) containers", graceful: false);
    }

    private static Command Create(string action, string description, bool graceful)
    {
        var names = new Argument<string[]>("names") { Description = "Container names", Arity = ArgumentArity.OneOrMore };
        var force = new Option<bool>("--force", "-f") { Description = "Kill at once instead of shutting down gracefully" };
        var timeout = new Option<int?>("--timeout") { Description = "Seconds to wait for a graceful shutdown (default 30)", HelpName = "SECONDS" };
        var command = new Command(action, description) { names };
        if (graceful)
        {
            command.Add(force);
            command.Add(timeout);
        }

        command.SetAction(CommandAction.Run(async context =>
        {
            int? seconds = graceful ? context.Get(timeout) : null;
            if (seconds is < 0)
            {
                throw new CliException($"invalid --timeout {seconds}: expected a number of seconds, 0 or more");
            }

            var request = new StateChangeRequest { Action = action, Force = graceful && context.Get(force), Timeout = seconds };
            foreach (string name in context.Get(names))
            {
                var job = await context.Client.ChangeStateAsync(name, request, context.CancellationToken).ConfigureAwait(false);
                await context.WaitForJobAsync(job).ConfigureAwait(false);
            }

            return 0;
        }));
        return command;
    }
}
