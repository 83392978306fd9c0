using System.CommandLine;

namespace Berth.Cli.Commands;

/// <summary><c>berth rename NAME NEW-NAME</c>.</summary>
internal static class RenameCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "Container to rename (stopped)" };
        var newName = new Argument<string>("new-name") { Description = "Its new name" };
        var command = new Command("rename", "Rename a stopped container (its files, snapshots, address and forwards follow)") { name, newName };
        command.Aliases.Add("mv");
        command.SetAction(CommandAction.Run(async context =>
        {
            var job = await context.Client.RenameAsync(context.Get(name), context.Get(newName), context.CancellationToken).ConfigureAwait(false);
            await context.WaitForJobAsync(job).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Renamed {context.Get(name)} to {context.Get(newName)}").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }
}
