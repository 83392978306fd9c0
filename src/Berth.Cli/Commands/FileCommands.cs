using System.CommandLine;
using System.Globalization;
using Berth.Cli.Files;
using Berth.Cli.Output;
using Berth.Client;
using Berth.Contracts;

namespace Berth.Cli.Commands;

/// <summary><c>berth file push|pull|edit|delete|list</c>: a container's files, running or stopped, streamed through the API.</summary>
internal static class FileCommands
{
    public static Command Create() => new("file", "Copy files into and out of a container, edit and delete them") { CreatePush(), CreatePull(), FileEditCommand.Create(), CreateDelete(), CreateList() };

    private static Command CreatePush()
    {
        var sources = new Argument<string[]>("local") { Description = "Local files (directories with -r; - for stdin), then CONTAINER/PATH", Arity = new ArgumentArity(2, 100_000) };
        var recursive = new Option<bool>("--recursive", "-r") { Description = "Copy directories with everything in them (sent as one tar stream)" };
        var mode = new Option<string?>("--mode") { Description = "Permission bits of the written file, e.g. 0644 (default: the replaced file's, else the local file's)" };
        var uid = new Option<long?>("--uid") { Description = "Owner as the container sees it (default: the replaced file's, else root; with -r the local owners)" };
        var gid = new Option<long?>("--gid") { Description = "Group as the container sees it" };
        var parents = new Option<bool>("--parents", "-p") { Description = "Create missing directories on the way" };
        var command = new Command("push", "Copy local files into a container: berth file push LOCAL... CONTAINER/PATH") { sources, recursive, mode, uid, gid, parents };
        command.SetAction(CommandAction.Run(async context =>
        {
            var all = context.Get(sources);
            var target = ContainerPathArgument.Parse(all[^1]);
            var locals = all[..^1];
            var fileMode = context.Get(mode) is { } text ? ParseMode(text) : (UnixFileMode?)null;
            if (context.Get(recursive))
            {
                if (fileMode is not null)
                {
                    throw new CliException("--mode applies to single files; with -r each file keeps its local mode");
                }

                await PushTreesAsync(context, locals, target, context.Get(uid), context.Get(gid), context.Get(parents)).ConfigureAwait(false);
                return 0;
            }

            var intoDirectory = locals.Length > 1 || target.Path.EndsWith('/') || await IsDirectoryAsync(context.Client, target, context.CancellationToken).ConfigureAwait(false);
            foreach (var local in locals)
            {
                var status = local == "-" ? (LocalStatus?)null : LocalFiles.Stat(local) ?? throw new CliException($"{local} does not exist");
                if (status is { IsFile: false })
                {
                    throw new CliException(status.Value.IsDirectory ? $"{local} is a directory; pass -r to copy it with everything in it" : $"{local} is not a regular file");
                }

                if (local == "-" && intoDirectory)
                {
                    throw new CliException("stdin (-) has no name: give the file's path in the container, not a directory");
                }

                var destination = intoDirectory ? target.Child(Path.GetFileName(local)) : target;
                var newMode = fileMode;
                if (newMode is null && status is { } s && await ExistsAsync(context.Client, destination, context.CancellationToken).ConfigureAwait(false) is false)
                {
                    newMode = s.Mode;
                }

                var content = local == "-" ? Console.OpenStandardInput() : new FileStream(local, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, FileOptions.Asynchronous);
                await using (content.ConfigureAwait(false))
                {
                    await context.Client.WriteFileAsync(
                        destination.Container,
                        destination.Path,
                        content,
                        new FileWriteOptions { Mode = newMode, Uid = context.Get(uid), Gid = context.Get(gid), CreateDirectories = context.Get(parents) },
                        context.CancellationToken).ConfigureAwait(false);
                }
            }

            return 0;
        }));
        return command;
    }

    /// <summary>Like cp -r: into an existing directory each source keeps its name; a single source to a new name becomes that name.</summary>
    private static async Task PushTreesAsync(CommandContext context, string[] locals, ContainerPathArgument target, long? uid, long? gid, bool parents)
    {
        foreach (var local in locals.Where(l => LocalFiles.Stat(l) is null))
        {
            throw new CliException($"{local} does not exist");
        }

        var intoDirectory = locals.Length > 1 || target.Path.EndsWith('/') || await IsDirectoryAsync(context.Client, target, context.CancellationToken).ConfigureAwait(false);
        var (directory, names) = intoDirectory
            ? (target, locals.Select(l => (l, Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(l))))).ToList())
            : (target.Parent, [(locals[0], target.Name)]);
        await context.Client.ExtractTreeAsync(
            directory.Container,
            directory.Path,
            (stream, ct) => LocalTreeArchive.WriteAsync(stream, names, uid, gid, ct),
            parents || intoDirectory,
            context.CancellationToken).ConfigureAwait(false);
    }

    private static Command CreatePull()
    {
        var source = new Argument<string>("source") { Description = "CONTAINER/PATH" };
        var local = new Argument<string>("local") { Description = "Local file or directory; - for stdout" };
        var recursive = new Option<bool>("--recursive", "-r") { Description = "Copy a directory with everything in it" };
        var command = new Command("pull", "Copy a file or directory out of a container") { source, local, recursive };
        command.SetAction(CommandAction.Run(async context =>
        {
            var from = ContainerPathArgument.Parse(context.Get(source));
            var to = context.Get(local);
            if (context.Get(recursive) && to != "-")
            {
                var entry = await context.Client.StatFileAsync(from.Container, from.Path + (from.Path.EndsWith('/') ? "" : "/"), context.CancellationToken).ConfigureAwait(false);
                if (entry.Type == "directory")
                {
                    var destination = Directory.Exists(to) ? Path.Combine(to, from.Name.Length == 0 ? from.Container : from.Name) : to;
                    Directory.CreateDirectory(destination);
                    await using var tree = await context.Client.OpenTreeAsync(from.Container, from.Path, context.CancellationToken).ConfigureAwait(false);
                    await new LocalTreeExtractor(destination, context.Error).ExtractAsync(tree, context.CancellationToken).ConfigureAwait(false);
                    return 0;
                }
            }

            await using var file = await context.Client.OpenFileAsync(from.Container, from.Path, context.CancellationToken).ConfigureAwait(false);
            if (file.Entry.Type != "file")
            {
                throw new CliException(file.Entry.Type switch
                {
                    "directory" => $"{from} is a directory; pass -r to copy it with everything in it",
                    "symlink" => $"{from} is a symbolic link to {file.Entry.Link}; pull that path instead",
                    var other => $"{from} is a {other}, not a regular file",
                });
            }

            if (to == "-")
            {
                await using var stdout = Console.OpenStandardOutput();
                await file.Content.CopyToAsync(stdout, context.CancellationToken).ConfigureAwait(false);
                return 0;
            }

            var path = Directory.Exists(to) ? Path.Combine(to, from.Name) : to;
            var temp = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.berth-{Guid.NewGuid():N}");
            try
            {
                var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
                await using (output.ConfigureAwait(false))
                {
                    await file.Content.CopyToAsync(output, context.CancellationToken).ConfigureAwait(false);
                }

                File.SetUnixFileMode(temp, ParseMode(file.Entry.Mode) & (UnixFileMode)0x1ff);
                File.Move(temp, path, overwrite: true);
            }
            finally
            {
                File.Delete(temp);
            }

            return 0;
        }));
        return command;
    }

    private static Command CreateDelete()
    {
        var target = new Argument<string>("target") { Description = "CONTAINER/PATH" };
        var recursive = new Option<bool>("--recursive", "-r") { Description = "Delete a directory with everything in it" };
        var command = new Command("delete", "Delete a file, link or directory in a container (a link itself, never what it points to)") { target, recursive };
        command.Aliases.Add("rm");
        command.SetAction(CommandAction.Run(async context =>
        {
            var path = ContainerPathArgument.Parse(context.Get(target));
            await context.Client.DeleteFileAsync(path.Container, path.Path, context.Get(recursive), context.CancellationToken).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command CreateList()
    {
        var target = new Argument<string>("target") { Description = "CONTAINER/PATH (a trailing / lists the directory a link leads to)" };
        var format = FormatOption.Create(FormatOption.Table, FormatOption.Json);
        var command = new Command("list", "List a directory of a container, ls -l style, owners as the container sees them") { target, format };
        command.Aliases.Add("ls");
        command.SetAction(CommandAction.Run(async context =>
        {
            var path = ContainerPathArgument.Parse(context.Get(target));
            var entries = await context.Client.ListFilesAsync(path.Container, path.Path, context.CancellationToken).ConfigureAwait(false);
            if (context.Get(format) == FormatOption.Json)
            {
                JsonOutput.Write(context.Out, entries);
                return 0;
            }

            foreach (var e in entries)
            {
                var time = e.ModifiedAt.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
                var link = e.Link is null ? "" : $" -> {e.Link}";
                await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{ModeString(e)} {e.Uid,5} {e.Gid,5} {e.Size,10} {time} {e.Name}{link}")).ConfigureAwait(false);
            }

            return 0;
        }));
        return command;
    }

    private static async Task<bool> IsDirectoryAsync(BerthClient client, ContainerPathArgument target, CancellationToken cancellationToken)
    {
        try
        {
            return (await client.StatFileAsync(target.Container, target.Path + "/", cancellationToken).ConfigureAwait(false)).Type == "directory";
        }
        catch (BerthApiException e) when (e.Status is 404 or 409)
        {
            return false;
        }
    }

    private static async Task<bool> ExistsAsync(BerthClient client, ContainerPathArgument target, CancellationToken cancellationToken)
    {
        try
        {
            await client.StatFileAsync(target.Container, target.Path, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (BerthApiException e) when (e.Status == 404 && e.Title == "File not found")
        {
            return false;
        }
    }

    internal static UnixFileMode ParseMode(string text) =>
        text is { Length: >= 3 and <= 5 } && text.All(c => c is >= '0' and <= '7') && Convert.ToInt32(text, 8) is var bits and <= 0xfff
            ? (UnixFileMode)bits
            : throw new CliException($"--mode '{text}' is not an octal file mode such as 0644 or 0755");

    private static string ModeString(FileEntryInfo entry)
    {
        var bits = Convert.ToInt32(entry.Mode, 8);
        var type = entry.Type switch { "directory" => 'd', "symlink" => 'l', "char-device" => 'c', "block-device" => 'b', "fifo" => 'p', "socket" => 's', _ => '-' };
        var text = new char[10];
        text[0] = type;
        const string letters = "rwxrwxrwx";
        for (var i = 0; i < 9; i++)
        {
            text[i + 1] = (bits & (1 << (8 - i))) != 0 ? letters[i] : '-';
        }

        foreach (var (bit, at, set, unset) in new[] { (0x800, 3, 's', 'S'), (0x400, 6, 's', 'S'), (0x200, 9, 't', 'T') })
        {
            if ((bits & bit) != 0)
            {
                text[at] = text[at] == 'x' ? set : unset;
            }
        }
        return new string(text);
    }
}
