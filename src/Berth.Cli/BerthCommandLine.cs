using System.CommandLine;
using Berth.Cli.Commands;

namespace Berth.Cli;

/// <summary>The <c>berth</c> command tree and its invocation.</summary>
internal static class BerthCommandLine
{
    public const string StateDirectoryOption = "--state-dir";
    public const string RemoteOption = "--remote";

    // Usage errors exit 2, as with most Unix tools, so scripts can tell them from failed operations (1).
    public const int UsageError = 2;

    public static RootCommand Create()
    {
        var root = new RootCommand("berth: manage LXC containers through berthd")
        {
            new Option<string>(StateDirectoryOption)
            {
                Description = "berthd's state directory, whose unix.socket to use (default: $BERTH_DIR, else /var/lib/berth)",
                HelpName = "DIR",
                Recursive = true,
            },
            new Option<string>(RemoteOption)
            {
                Description = "the remote (berth remote add) to talk to, 'local' for the Unix socket (default: $BERTH_REMOTE, else berth remote use)",
                HelpName = "NAME",
                Recursive = true,
            },
            LaunchCommand.Create(),
            ListCommand.Create(),
            InfoCommand.Create(),
        };
        foreach (var command in ContainerStateCommands.Create())
        {
            root.Add(command);
        }

        root.Add(DeleteCommand.Create());
        root.Add(RenameCommand.Create());
        root.Add(ExecCommand.Create());
        root.Add(ShellCommand.Create());
        root.Add(ConsoleCommand.Create());
        root.Add(ConfigCommands.Create());
        root.Add(ImageCommands.Create());
        root.Add(ImageCommands.CreatePublish());
        root.Add(NetworkCommands.Create());
        root.Add(HostCommands.Create());
        root.Add(StorageCommands.Create());
        root.Add(SnapshotCommands.Create());
        root.Add(BackupCommands.Create());
        root.Add(UpdateCommands.Create());
        root.Add(FileCommands.Create());
        foreach (var command in ArchiveCommands.Create())
        {
            root.Add(command);
        }

        foreach (var command in StackCommands.Create())
        {
            root.Add(command);
        }

        root.Add(ForwardCommands.Create());
        root.Add(RouteCommands.Create());
        root.Add(CertCommands.Create());
        root.Add(DomainCommands.Create());
        foreach (var command in SshCommands.Create())
        {
            root.Add(command);
        }

        foreach (var command in JobCommands.Create())
        {
            root.Add(command);
        }

        root.Add(MonitorCommand.Create());
        root.Add(TopCommand.Create());
        root.Add(AuditCommand.Create());
        root.Add(AdminCommands.Create());
        root.Add(UserCommands.Create());
        root.Add(TokenCommands.Create());
        root.Add(RemoteCommands.Create());
        return root;
    }

    public static async Task<int> InvokeAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var parseResult = Create().Parse(args);
        var configuration = new InvocationConfiguration { Output = output, Error = error };
        int exitCode = await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        return parseResult.Errors.Count > 0 ? UsageError : exitCode;
    }
}
