using System.CommandLine;
using Berth.Contracts;

namespace Berth.Cli.Commands;

/// <summary><c>berth shell NAME</c>: a login shell on a terminal, bash when the container has it.</summary>
internal static class ShellCommand
{
    // A fixed script, never built from input: 'exec bash || exec sh' would not work, as sh exits when exec fails.
    private static readonly string[] LoginShell =
        ["/bin/sh", "-c", "if [ -x /bin/bash ]; then exec /bin/bash -l; else exec /bin/sh -l; fi"];

    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "Container name" };
        var command = new Command("shell", "Open a login shell in a container") { name };
        command.SetAction(CommandAction.Run(context =>
            ConsoleExec.RunAsync(context, context.Get(name), new ExecRequest { Command = LoginShell, Tty = true })));
        return command;
    }
}
