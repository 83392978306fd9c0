using System.CommandLine;
using Berth.Cli.Output;

namespace Berth.Cli.Commands;

/// <summary><c>berth ssh enable NAME</c> and <c>berth ssh-key add|list|remove</c>.</summary>
internal static class SshCommands
{
    public static IEnumerable<Command> Create()
    {
        yield return new Command("ssh", "SSH access to a container through a host port") { CreateEnable(), CreateDisable() };
        yield return new Command("ssh-key", "Manage root's SSH keys in a container") { CreateAdd(), CreateList(), CreateRemove() };
    }

    private static Command CreateEnable()
    {
        var name = new Argument<string>("name") { Description = "Container name" };
        var command = new Command("enable", "Forward a host port from the SSH range to the container's port 22") { name };
        command.SetAction(CommandAction.Run(async context =>
        {
            var (ssh, job) = await context.Client.EnableSshAsync(context.Get(name), context.CancellationToken).ConfigureAwait(false);
            if (job is not null)
            {
                await context.WaitForJobAsync(job).ConfigureAwait(false);
            }

            await context.Out.WriteLineAsync(ssh.Command).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command CreateDisable()
    {
        var name = new Argument<string>("name") { Description = "Container name" };
        var command = new Command("disable", "Remove the container's SSH port") { name };
        command.SetAction(CommandAction.Run(async context =>
        {
            var job = await context.Client.DisableSshAsync(context.Get(name), context.CancellationToken).ConfigureAwait(false);
            await context.WaitForJobAsync(job).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"SSH port of {context.Get(name)} removed").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command CreateAdd()
    {
        var name = new Argument<string>("name") { Description = "Container name" };
        var key = new Argument<string>("key") { Description = "OpenSSH public key, e.g. \"ssh-ed25519 AAAA... comment\"" };
        var command = new Command("add", "Allow a public key to log in as root") { name, key };
        command.SetAction(CommandAction.Run(async context =>
        {
            var job = await context.Client.AddSshKeyAsync(context.Get(name), context.Get(key)!, context.CancellationToken).ConfigureAwait(false);
            await context.WaitForJobAsync(job).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Added the key to {context.Get(name)}").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command CreateList()
    {
        var name = new Argument<string>("name") { Description = "Container name" };
        var format = FormatOption.Create(FormatOption.Table, FormatOption.Json);
        var command = new Command("list", "List root's SSH keys") { name, format };
        command.Aliases.Add("ls");
        command.SetAction(CommandAction.Run(async context =>
        {
            var keys = await context.Client.ListSshKeysAsync(context.Get(name), context.CancellationToken).ConfigureAwait(false);
            if (context.Get(format) == FormatOption.Json)
            {
                JsonOutput.Write(context.Out, keys);
                return 0;
            }

            var table = new TablePrinter("TYPE", "FINGERPRINT", "COMMENT");
            foreach (var k in keys)
            {
                table.AddRow(k.Type, k.Fingerprint, k.Comment);
            }

            table.WriteTo(context.Out);
            return 0;
        }));
        return command;
    }

    private static Command CreateRemove()
    {
        var name = new Argument<string>("name") { Description = "Container name" };
        var which = new Argument<string>("key") { Description = "The key's fingerprint (SHA256:...) or comment" };
        var command = new Command("remove", "Remove an SSH key") { name, which };
        command.Aliases.Add("rm");
        command.SetAction(CommandAction.Run(async context =>
        {
            var job = await context.Client.RemoveSshKeyAsync(context.Get(name), context.Get(which)!, context.CancellationToken).ConfigureAwait(false);
            await context.WaitForJobAsync(job).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Removed the key from {context.Get(name)}").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }
}
