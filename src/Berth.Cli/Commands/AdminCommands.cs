using System.CommandLine;

namespace Berth.Cli.Commands;

/// <summary><c>berth admin shutdown</c>.</summary>
internal static class AdminCommands
{
    public static Command Create() => new("admin", "Host administration") { CreateShutdown() };

    private static Command CreateShutdown()
    {
        var command = new Command("shutdown", "Stop the autostart containers in reverse order, as before a host shutdown");
        command.SetAction(CommandAction.Run(async context =>
        {
            var job = await context.Client.ShutdownAsync(context.CancellationToken).ConfigureAwait(false);
            await context.WaitForJobAsync(job).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }
}
