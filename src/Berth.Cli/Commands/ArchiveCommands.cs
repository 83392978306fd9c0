using System.CommandLine;
using Berth.Client;
using Berth.Contracts;

namespace Berth.Cli.Commands;

/// <summary><c>berth copy</c>, <c>berth export</c> and <c>berth import</c>.</summary>
internal static class ArchiveCommands
{
    public static IEnumerable<Command> Create() => [CreateCopy(), CreateExport(), CreateImport()];

    private static Command CreateCopy()
    {
        var source = new Argument<string>("source") { Description = "Container to copy" };
        var target = new Argument<string>("target") { Description = "Name of the new container" };
        var snapshot = new Option<string?>("--snapshot") { Description = "Copy this snapshot of the source instead of its current state" };
        var network = new Option<string[]>("--network") { Description = "Network of the copy, repeatable: one gives the first interface's (the others stay on the source's), several give every interface in order, none gives no network (default: the source's networks)", HelpName = "NAME" };
        var ip = new Option<string[]>("--ip") { Description = "IPv4 address, repeatable: the Nth --ip is for the Nth --network (default: a free one)", HelpName = "ADDRESS" };
        var command = new Command("copy", "Copy a container (copy-on-write where the pool allows)") { source, target, snapshot, network, ip };
        command.Aliases.Add("cp");
        command.SetAction(CommandAction.Run(async context =>
        {
            var (one, oneIp, several) = Interfaces(context.Get(network), context.Get(ip));
            JobInfo job;
            try
            {
                job = await context.Client.CopyAsync(context.Get(source), new CopyRequest { Target = context.Get(target), Snapshot = context.Get(snapshot), Network = one, Ip = oneIp, Networks = several }, context.CancellationToken).ConfigureAwait(false);
            }
            catch (BerthApiException ex) when (ex.Title == "Network given twice")
            {
                throw new CliException($"{ex.Message} Repeat --network to give every interface's network, in order.");
            }

            await context.WaitForJobAsync(job).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Copied {context.Get(source)} to {context.Get(target)}").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command CreateExport()
    {
        var name = new Argument<string>("name") { Description = "Container name" };
        var file = new Argument<string>("file") { Description = "Archive to write (.tar.zst)" };
        var snapshots = new Option<bool>("--snapshots") { Description = "Include the container's snapshots" };
        var command = new Command("export", "Write a container to a portable archive") { name, file, snapshots };
        command.SetAction(CommandAction.Run(async context =>
        {
            var path = Path.GetFullPath(context.Get(file));
            if (context.Client.IsLocalSocket)
            {
                var job = await context.Client.ExportAsync(context.Get(name), new ExportRequest { File = path, Snapshots = context.Get(snapshots) }, context.CancellationToken).ConfigureAwait(false);
                await context.WaitForJobAsync(job).ConfigureAwait(false);
            }
            else
            {
                await context.Error.WriteLineAsync($"exporting {context.Get(name)} from {context.Client.Endpoint}...").ConfigureAwait(false);
                await LocalArchive.SaveAsync(path, stream => context.Client.ExportToStreamAsync(context.Get(name), stream, context.Get(snapshots), context.CancellationToken)).ConfigureAwait(false);
            }

            await context.Out.WriteLineAsync($"Exported {context.Get(name)} to {path}").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command CreateImport()
    {
        var file = new Argument<string>("file") { Description = "Archive written by berth export" };
        var name = new Argument<string?>("name") { Description = "Name for the container (default: the archived one)", Arity = ArgumentArity.ZeroOrOne };
        var storage = new Option<string?>("--storage") { Description = "Storage pool (default: default)" };
        var keepIdentity = new Option<bool>("--keep-identity") { Description = "Keep the archive's machine id and SSH host keys (restoring a backup of the same container)" };
        var privileged = new Option<bool>("--privileged") { Description = "Allow an archive of a privileged container (root in it is root on the host)" };
        var network = new Option<string[]>("--network") { Description = "Network to join, repeatable: one gives the first interface's (the others stay on the archive's), several give every interface in order, none gives no network (default: the archive's networks)", HelpName = "NAME" };
        var ip = new Option<string[]>("--ip") { Description = "IPv4 address, repeatable: the Nth --ip is for the Nth --network (default: a free one)", HelpName = "ADDRESS" };
        var command = new Command("import", "Create a container from an archive") { file, name, storage, keepIdentity, privileged, network, ip };
        command.SetAction(CommandAction.Run(async context =>
        {
            JobInfo job;
            var (one, oneIp, several) = Interfaces(context.Get(network), context.Get(ip));
            var request = new ImportRequest
            {
                File = Path.GetFullPath(context.Get(file)),
                Name = context.Get(name),
                Storage = context.Get(storage),
                KeepIdentity = context.Get(keepIdentity),
                Privileged = context.Get(privileged),
                Network = one,
                Ip = oneIp,
                Networks = several,
            };
            try
            {
                if (context.Client.IsLocalSocket)
                {
                    job = await context.Client.ImportAsync(request, context.CancellationToken).ConfigureAwait(false);
                }
                else
                {
                    // A remote daemon cannot read this machine's files: the archive goes as the request body.
                    await using var archive = LocalArchive.OpenUpload(request.File);
                    job = await context.Client.ImportFromStreamAsync(archive, request, context.CancellationToken).ConfigureAwait(false);
                }
            }
            catch (BerthApiException ex) when (ex.Title == "Privileged archive")
            {
                throw new CliException($"{ex.Message} Pass --privileged if you trust it.");
            }
            catch (BerthApiException ex) when (ex.Title == "Archived network missing")
            {
                throw new CliException($"{ex.Message} Pass --network NAME once per interface, in order, to choose them.");
            }
            catch (BerthApiException ex) when (ex.Title == "Network given twice")
            {
                throw new CliException($"{ex.Message} Repeat --network to give every interface's network, in order.");
            }

            await context.WaitForJobAsync(job).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Imported {job.Target}").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    /// <summary>As for launch: one --network (and --ip) is the first interface's, several are the whole list.</summary>
    private static (string? Network, string? Ip, IReadOnlyList<NetworkAttachment>? Networks) Interfaces(string[]? networks, string[]? ips)
    {
        networks ??= [];
        ips ??= [];
        if (ips.Length > Math.Max(networks.Length, 1))
        {
            throw new CliException($"{ips.Length} --ip for {networks.Length} --network: give one --network per --ip, in the same order");
        }

        return networks.Length > 1
            ? (null, null, [.. networks.Select((n, i) => new NetworkAttachment { Name = n, Ip = i < ips.Length ? ips[i] : null })])
            : (networks.FirstOrDefault(), ips.FirstOrDefault(), null);
    }
}
