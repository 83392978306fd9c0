using System.CommandLine;
using Berth.Cli.Input;
using Berth.Cli.Tty;
using Berth.Contracts;

namespace Berth.Cli.Commands;

/// <summary><c>berth exec NAME [-t|-T] [--env K=V]... [--cwd DIR] -- CMD ARGS...</c>: exits with the command's exit code.</summary>
internal static class ExecCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "Container name" };
        var commandLine = new Argument<string[]>("command")
        {
            Description = "The command and its arguments; put them after -- when they start with a dash",
            Arity = ArgumentArity.OneOrMore,
        };
        var tty = new Option<bool>("--tty", "-t") { Description = "Run on a terminal even if stdin/stdout are not one" };
        var noTty = new Option<bool>("--no-tty", "-T") { Description = "Never run on a terminal" };
        var env = new Option<string[]>("--env", "-e") { Description = "Set an environment variable (repeatable)", HelpName = "KEY=VALUE" };
        var cwd = new Option<string>("--cwd") { Description = "Working directory inside the container", HelpName = "DIR" };
        var command = new Command("exec", "Run a command in a container") { name, tty, noTty, env, cwd, commandLine };
        command.SetAction(CommandAction.Run(context =>
        {
            var variables = context.Get(env) ?? [];
            foreach (string variable in variables)
            {
                _ = KeyValueArguments.ParsePair(variable, "environment variable");
            }

            var request = new ExecRequest
            {
                Command = context.Get(commandLine),
                Tty = context.Get(tty) || (!context.Get(noTty) && Terminal.IsInteractive),
                Environment = variables,
                WorkingDirectory = context.Get(cwd),
            };
            return ConsoleExec.RunAsync(context, context.Get(name), request);
        }));
        return command;
    }
}
