using System.CommandLine;
using Berth.Cli.Input;
using Berth.Cli.Output;
using Berth.Contracts;

namespace Berth.Cli.Commands;

/// <summary><c>berth backup run|list|restore|delete</c> and <c>berth backup target add|list|show|remove|key</c>.</summary>
internal static class BackupCommands
{
    public static Command Create() => new("backup", "Encrypted, deduplicated backups with restic") { CreateRun(), CreateList(), CreateRestore(), CreateDelete(), CreateCheck(), CreateVerify(), CreateTarget() };

    private static Command CreateRun()
    {
        var container = new Argument<string?>("container") { Description = "Container to back up", Arity = ArgumentArity.ZeroOrOne };
        var target = new Option<string?>("--target") { Description = "Backup target (default: the container's backups.target, else the only target)" };
        var system = new Option<bool>("--system") { Description = "Back up Berth's own database instead of a container (admins)" };
        var command = new Command("run", "Back up a container now") { container, target, system };
        command.SetAction(CommandAction.Run(async context =>
        {
            var name = context.Get(container);
            if (context.Get(system) == (name is not null))
            {
                throw new CliException("give either a container or --system");
            }

            var request = new BackupRunRequest { Target = context.Get(target) };
            var job = name is null
                ? await context.Client.BackupSystemAsync(request, context.CancellationToken).ConfigureAwait(false)
                : await context.Client.BackupAsync(name, request, context.CancellationToken).ConfigureAwait(false);
            await context.WaitForJobAsync(job).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Backed up {name ?? "Berth's database"}").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command CreateVerify()
    {
        var container = new Argument<string?>("container") { Description = "Container one of whose backups is restored and compared", Arity = ArgumentArity.ZeroOrOne };
        var target = new Option<string?>("--target") { Description = "Test a backup of this target (admins); with a container, one of its backups there" };
        var command = new Command("verify", "Restore one random backup into a scratch directory and compare it with restic's listing of it") { container, target };
        command.SetAction(CommandAction.Run(async context =>
        {
            var name = context.Get(container);
            var on = context.Get(target);
            if (name is null && on is null)
            {
                throw new CliException("give a container or --target");
            }

            var job = name is null
                ? await context.Client.VerifyBackupTargetAsync(on!, context.CancellationToken).ConfigureAwait(false)
                : await context.Client.VerifyBackupsAsync(name, new BackupVerifyRequest { Target = on }, context.CancellationToken).ConfigureAwait(false);
            await context.WaitForJobAsync(job).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Restore test passed: a backup of {name ?? on} restored exactly as restic lists it").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command CreateCheck()
    {
        var target = new Argument<string>("target") { Description = "Backup target to check" };
        var subset = new Option<string?>("--read-data-subset") { Description = "Also read back this much of the data: 10% or n/m like 1/5", HelpName = "N%" };
        var parts = new Option<int?>("--read-data-parts") { Description = "Also read back the next of N parts of the data (each such check reads the next, so N read it all)", HelpName = "N" };
        var command = new Command("check", "Check a target's repository with restic check (admins)") { target, subset, parts };
        command.SetAction(CommandAction.Run(async context =>
        {
            var job = await context.Client.CheckBackupTargetAsync(context.Get(target), new BackupCheckRequest { ReadDataSubset = context.Get(subset), ReadDataParts = context.Get(parts) }, context.CancellationToken).ConfigureAwait(false);
            await context.WaitForJobAsync(job).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Checked {context.Get(target)}: no errors").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command CreateList()
    {
        var container = new Argument<string?>("container") { Description = "Only this container's backups", Arity = ArgumentArity.ZeroOrOne };
        var format = FormatOption.Create(FormatOption.Table, FormatOption.Json);
        var command = new Command("list", "List backups, newest first") { container, format };
        command.Aliases.Add("ls");
        command.SetAction(CommandAction.Run(async context =>
        {
            var backups = await context.Client.ListBackupsAsync(context.Get(container), context.CancellationToken).ConfigureAwait(false);
            if (context.Get(format) == FormatOption.Json)
            {
                JsonOutput.Write(context.Out, backups);
                return 0;
            }

            var table = new TablePrinter("ID", "CONTAINER", "TIME", "TARGET", "SIZE", "FILES");
            foreach (var b in backups)
            {
                table.AddRow(b.Id, b.System ? "(system)" : b.Container ?? "-", HumanTime.Format(b.Time), b.Target, b.SizeBytes is { } size ? HumanSize.Format(size) : "-", b.Files?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-");
            }

            table.WriteTo(context.Out);
            return 0;
        }));
        return command;
    }

    private static Command CreateRestore()
    {
        var container = new Argument<string>("container") { Description = "The container backed up" };
        var backup = new Argument<string>("backup") { Description = "Backup id (from berth backup list)" };
        var asName = new Option<string?>("--as") { Description = "Restore into a new container of this name" };
        var network = new Option<string?>("--network") { Description = "Network of the new container's first interface (with --as)" };
        var ip = new Option<string?>("--ip") { Description = "IPv4 address there (default: a free one)" };
        var path = new Option<string?>("--path") { Description = "Restore only this path of the container's tree" };
        var to = new Option<string?>("--to") { Description = "With --path: an existing host directory to restore it into (admins); without it the path is restored into the container itself" };
        var command = new Command("restore", "Restore a container from a backup (in place only when it is stopped)") { container, backup, asName, network, ip, path, to };
        command.SetAction(CommandAction.Run(async context =>
        {
            var to_ = context.Get(to);
            var job = await context.Client.RestoreBackupAsync(context.Get(backup), new BackupRestoreRequest
            {
                Container = context.Get(container),
                As = context.Get(asName),
                Network = context.Get(network),
                Ip = context.Get(ip),
                Path = context.Get(path),
                To = to_ is null ? null : Path.GetFullPath(to_),
            }, context.CancellationToken).ConfigureAwait(false);
            await context.WaitForJobAsync(job).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Restored {context.Get(backup)} {(context.Get(path) is { } p ? $"{p} to {to_}" : $"as {context.Get(asName) ?? context.Get(container)}")}").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command CreateDelete()
    {
        var container = new Argument<string>("container") { Description = "The container backed up" };
        var backup = new Argument<string>("backup") { Description = "Backup id (from berth backup list)" };
        var format = FormatOption.Create(FormatOption.Table, FormatOption.Json);
        var command = new Command("delete", "Delete a backup: restic forgets it, then prunes the target to free its space") { container, backup, format };
        command.Aliases.Add("rm");
        command.SetAction(CommandAction.Run(async context =>
        {
            var name = context.Get(container);
            var id = context.Get(backup);
            // Read first, to say what went: after the delete it is no longer listed.
            var deleted = (await context.Client.ListBackupsAsync(name, context.CancellationToken).ConfigureAwait(false))
                .FirstOrDefault(b => b.Id.StartsWith(id, StringComparison.Ordinal) || id.StartsWith(b.Id, StringComparison.Ordinal));
            var job = await context.Client.DeleteBackupAsync(name, id, context.CancellationToken).ConfigureAwait(false);
            await context.WaitForJobAsync(job).ConfigureAwait(false);
            if (context.Get(format) == FormatOption.Json)
            {
                // The shape of backup list: the backups deleted, as they were listed (none known when the id was found only in a repository).
                JsonOutput.Write<IReadOnlyList<BackupInfo>>(context.Out, deleted is null ? [] : [deleted]);
                return 0;
            }

            await context.Out.WriteLineAsync($"Deleted backup {deleted?.Id ?? id} of {name}{(deleted is null ? "" : $" from {deleted.Target}")}").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command CreateTarget()
    {
        var command = new Command("target", "Where backups go (restic repositories)") { CreateTargetAdd(), CreateTargetList(), CreateTargetShow(), CreateTargetRemove(), CreateTargetKey() };
        return command;
    }

    private static Command CreateTargetAdd()
    {
        var name = new Argument<string>("name") { Description = "Lowercase letters, digits and hyphens" };
        var url = new Option<string>("--url") { Description = "local:/path, sftp:user@host:/path, rest:http(s)://host:port/path or s3:http(s)://host/bucket", Required = true };
        var env = new Option<string[]>("--env") { Description = "Credential for restic, repeatable (AWS_ACCESS_KEY_ID=..., RESTIC_REST_USERNAME=...); stored encrypted", HelpName = "KEY=VALUE" };
        var stdin = new Option<bool>("--password-stdin") { Description = "Use an existing repository: read its recovery password (berth backup target key on the host that made it) from standard input" };
        var sshKey = new Option<string>("--ssh-key") { Description = "sftp: the unencrypted ssh private key file to log in with; stored encrypted", HelpName = "FILE" };
        var sshPort = new Option<int?>("--ssh-port") { Description = "sftp: the ssh port when it is not 22", HelpName = "PORT" };
        var caCert = new Option<string>("--cacert") { Description = "s3/rest over https: PEM CA certificate file to trust for the server (restic --cacert)", HelpName = "FILE" };
        var command = new Command("add", "Add a backup target (creates its repository)") { name, url, env, stdin, sshKey, sshPort, caCert };
        command.SetAction(CommandAction.Run(async context =>
        {
            var password = context.Get(stdin) ? await PasswordInput.ReadAsync(context.CancellationToken).ConfigureAwait(false) : null;
            var added = await context.Client.AddBackupTargetAsync(new BackupTargetCreateRequest
            {
                Name = context.Get(name),
                Url = context.Get(url)!,
                Env = KeyValueArguments.ParseMap(context.Get(env) ?? [], "env"),
                Password = password,
                SshKey = context.Get(sshKey) is { } keyFile ? await File.ReadAllTextAsync(keyFile, context.CancellationToken).ConfigureAwait(false) : null,
                SshPort = context.Get(sshPort),
                CaCert = context.Get(caCert) is { } certFile ? await File.ReadAllTextAsync(certFile, context.CancellationToken).ConfigureAwait(false) : null,
            }, context.CancellationToken).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Added backup target {added.Name} ({added.Url}); 'berth backup target key {added.Name}' prints its recovery password").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command CreateTargetList()
    {
        var format = FormatOption.Create(FormatOption.Table, FormatOption.Json);
        var command = new Command("list", "List backup targets") { format };
        command.Aliases.Add("ls");
        command.SetAction(CommandAction.Run(async context =>
        {
            var targets = await context.Client.ListBackupTargetsAsync(context.CancellationToken).ConfigureAwait(false);
            if (context.Get(format) == FormatOption.Json)
            {
                JsonOutput.Write(context.Out, targets);
                return 0;
            }

            var table = new TablePrinter("NAME", "KIND", "URL", "ENV");
            foreach (var t in targets)
            {
                table.AddRow(t.Name, t.Kind, t.Url, t.EnvKeys.Count == 0 ? "-" : string.Join(',', t.EnvKeys));
            }

            table.WriteTo(context.Out);
            return 0;
        }));
        return command;
    }

    private static Command CreateTargetShow()
    {
        var name = new Argument<string>("name") { Description = "Target name" };
        var command = new Command("show", "Show a backup target (never its secrets)") { name };
        command.SetAction(CommandAction.Run(async context =>
        {
            var t = await context.Client.GetBackupTargetAsync(context.Get(name), context.CancellationToken).ConfigureAwait(false);
            new FieldList().Add("Name", t.Name).Add("Kind", t.Kind).Add("URL", t.Url)
                .Add("Env keys set", t.EnvKeys.Count == 0 ? "none" : string.Join(", ", t.EnvKeys))
                .Add("SSH key", t.SshKeySet ? "set" : "not set")
                .Add("SSH port", t.SshPort?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-")
                .Add("CA certificate", t.CaCertSet ? "set" : "not set")
                .Add("Added", HumanTime.Format(t.CreatedAt))
                .Add("Last check", t.LastCheck is not { } c ? null : c.Ok
                    ? $"ok {HumanTime.Format(c.Time)} ({c.Action})"
                    : $"failed {HumanTime.Format(c.Time)} ({c.Action}: {c.Error}); last ok {HumanTime.Format(c.LastSuccess)}")
                .Add("Checks run", t.ChecksRun.ToString(System.Globalization.CultureInfo.InvariantCulture)).WriteTo(context.Out);
            return 0;
        }));
        return command;
    }

    private static Command CreateTargetRemove()
    {
        var name = new Argument<string>("name") { Description = "Target name" };
        var command = new Command("remove", "Forget a backup target (its repository is left as it is)") { name };
        command.Aliases.Add("rm");
        command.SetAction(CommandAction.Run(async context =>
        {
            var removed = await context.Client.RemoveBackupTargetAsync(context.Get(name), context.CancellationToken).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Removed backup target {removed.Name}; the repository at {removed.Url} was left as it is").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command CreateTargetKey()
    {
        var name = new Argument<string>("name") { Description = "Target name" };
        var command = new Command("key", "Print the repository's recovery password (keep it offline; this is audited)") { name };
        command.SetAction(CommandAction.Run(async context =>
        {
            var key = await context.Client.GetBackupTargetKeyAsync(context.Get(name), context.CancellationToken).ConfigureAwait(false);
            await context.Out.WriteLineAsync(key.Password).ConfigureAwait(false);
            await context.Error.WriteLineAsync($"This is the recovery password of {key.Url}: with it, plain restic restores every backup there. Keep it offline.").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }
}
