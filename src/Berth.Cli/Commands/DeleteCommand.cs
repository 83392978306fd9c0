using System.CommandLine;

namespace Berth.Cli.Commands;

/// <summary><c>berth delete NAME... [--force]</c>.</summary>
internal static class DeleteCommand
{
    public static Command Create()
    {
        var names = new Argument<string[]>("names") { Description = "Container names", Arity = ArgumentArity.OneOrMore };
        var force = new Option<bool>("--force", "-f") { Description = "Stop running containers first" };
        var command = new Command("delete", "Delete containers") { names, force };
        command.Aliases.Add("rm");
        command.SetAction(CommandAction.Run(async context =>
        {
            foreach (string name in context.Get(names))
            {
                var job = await context.Client.DeleteAsync(name, context.Get(force), context.CancellationToken).ConfigureAwait(false);
                await context.WaitForJobAsync(job).ConfigureAwait(false);
            }

            return 0;
        }));
        return command;
    }
}
