using System.CommandLine;
using System.Diagnostics;
using System.Security.Cryptography;
using Berth.Cli.Files;
using Berth.Client;

namespace Berth.Cli.Commands;

/// <summary><c>berth file edit CONTAINER/PATH</c>: $EDITOR on a private copy, written back in one step only when it changed.</summary>
internal static class FileEditCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("target") { Description = "CONTAINER/PATH (a new file when it does not exist)" };
        var command = new Command("edit", "Edit a file of a container with $EDITOR (else vi); its mode and owner stay") { target };
        command.SetAction(CommandAction.Run(async context =>
        {
            var path = ContainerPathArgument.Parse(context.Get(target));
            var directory = Directory.CreateTempSubdirectory("berth-edit-");
            try
            {
                var copy = Path.Combine(directory.FullName, path.Name.Length == 0 ? "file" : path.Name);
                var before = await DownloadAsync(context.Client, path, copy, context.CancellationToken).ConfigureAwait(false);
                var code = await RunEditorAsync(copy, context.CancellationToken).ConfigureAwait(false);
                if (code != 0)
                {
                    throw new CliException($"the editor exited with {code}; {path} was left as it was");
                }

                var after = Hash(copy);
                if (before is not null && after.SequenceEqual(before))
                {
                    await context.Error.WriteLineAsync($"berth: {path} unchanged").ConfigureAwait(false);
                    return 0;
                }

                var content = new FileStream(copy, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
                await using (content.ConfigureAwait(false))
                {
                    await context.Client.WriteFileAsync(path.Container, path.Path, content, null, context.CancellationToken).ConfigureAwait(false);
                }

                return 0;
            }
            finally
            {
                directory.Delete(recursive: true);
            }
        }));
        return command;
    }

    /// <summary>Copies the file to <paramref name="copy"/> and returns its hash; null for a file that does not exist yet (an empty copy).</summary>
    private static async Task<byte[]?> DownloadAsync(BerthClient client, ContainerPathArgument path, string copy, CancellationToken cancellationToken)
    {
        try
        {
            await using var file = await client.OpenFileAsync(path.Container, path.Path, cancellationToken).ConfigureAwait(false);
            if (file.Entry.Type != "file")
            {
                throw new CliException($"{path} is a {file.Entry.Type}, not a regular file{(file.Entry.Link is { } link ? $" (it points to {link}; edit that path)" : "")}");
            }

            var output = new FileStream(copy, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            await using (output.ConfigureAwait(false))
            {
                await file.Content.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (BerthApiException e) when (e.Status == 404 && e.Title == "File not found")
        {
            await File.WriteAllBytesAsync(copy, [], cancellationToken).ConfigureAwait(false);
            return null;
        }

        return Hash(copy);
    }

    /// <summary>$VISUAL, else $EDITOR, else vi; its words are split on spaces (as in EDITOR="code --wait"), never given to a shell.</summary>
    private static async Task<int> RunEditorAsync(string file, CancellationToken cancellationToken)
    {
        var editor = Environment.GetEnvironmentVariable("VISUAL") is { Length: > 0 } visual ? visual
            : Environment.GetEnvironmentVariable("EDITOR") is { Length: > 0 } set ? set
            : "vi";
        var words = editor.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var info = new ProcessStartInfo(words[0]) { UseShellExecute = false };
        foreach (var word in words.Skip(1))
        {
            info.ArgumentList.Add(word);
        }

        info.ArgumentList.Add(file);
        using var process = Process.Start(info) ?? throw new CliException($"cannot start the editor {words[0]}");
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return process.ExitCode;
    }

    private static byte[] Hash(string path)
    {
        using var stream = File.OpenRead(path);
        return SHA256.HashData(stream);
    }
}
