using System.Formats.Tar;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Berth.Cli.Stacks;

/// <summary>
/// The stack files of one invocation (-f FILE, default ./berth.yml plus ./berth.override.yml when present) and the
/// tar the API takes: stack/FILE, input/PATH for each local input, variables.json for the ${VAR}s the files use.
/// </summary>
internal sealed partial class StackFiles
{
    public const string DefaultFile = "berth.yml";
    public const string OverrideFile = "berth.override.yml";

    private StackFiles(IReadOnlyList<string> paths)
    {
        Paths = paths;
        Folder = Path.GetDirectoryName(Path.GetFullPath(paths[0]))!;
    }

    public IReadOnlyList<string> Paths { get; }

    /// <summary>Inputs are relative to the first file's folder.</summary>
    public string Folder { get; }

    public static StackFiles Find(string? file)
    {
        if (file is not null)
        {
            return File.Exists(file) ? new StackFiles([file]) : throw new CliException($"{file}: no such file");
        }

        if (!File.Exists(DefaultFile))
        {
            throw new CliException($"no {DefaultFile} in this folder; give the stack file with -f FILE");
        }

        return new StackFiles(File.Exists(OverrideFile) ? [DefaultFile, OverrideFile] : [DefaultFile]);
    }

    /// <summary>The ${VAR} names the files use, found without a YAML parser, whose values the CLI sends.</summary>
    public IReadOnlyList<string> Variables() =>
        [.. Paths.SelectMany(p => VariableReference().Matches(File.ReadAllText(p)).Select(m => m.Groups[1].Value)).Distinct(StringComparer.Ordinal)];

    /// <summary>The stack's name: the top-level name: line when it is plain, else as berthd reads it (with variables).</summary>
    public async Task<string> NameAsync(Client.BerthClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        return Name() ?? (await client.InspectStackAsync(Pack(variables: Variables()), cancellationToken).ConfigureAwait(false)).Name;
    }

    /// <summary>The stack's name from the top-level name: line, read without a YAML parser (the server checks the file); null when it uses variables.</summary>
    public string? Name()
    {
        foreach (var path in Paths.Reverse())
        {
            foreach (var line in File.ReadLines(path))
            {
                var match = NameLine().Match(line);
                if (match.Success)
                {
                    return match.Groups[1].Value;
                }
            }
        }

        return null;
    }

    /// <summary>The tar of the stack files alone, or with the inputs and the variables' values from this environment.</summary>
    public byte[] Pack(IReadOnlyList<string>? inputs = null, IReadOnlyList<string>? variables = null)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var path in Paths)
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, $"stack/{Path.GetFileName(path)}") { DataStream = new MemoryStream(File.ReadAllBytes(path)) });
            }

            foreach (var input in inputs ?? [])
            {
                AddInput(writer, input);
            }

            if (variables is { Count: > 0 })
            {
                var json = new MemoryStream();
                using (var w = new Utf8JsonWriter(json))
                {
                    w.WriteStartObject();
                    foreach (var name in variables)
                    {
                        if (Environment.GetEnvironmentVariable(name) is { } value)
                        {
                            w.WriteString(name, value);
                        }
                    }

                    w.WriteEndObject();
                }

                json.Position = 0;
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "variables.json") { DataStream = json });
            }
        }

        return buffer.ToArray();
    }

    /// <summary>A file, or a folder's regular files (links are not followed: they are left out).</summary>
    private void AddInput(TarWriter writer, string input)
    {
        var local = Path.Combine(Folder, input);
        if (File.Exists(local) && !new FileInfo(local).Attributes.HasFlag(FileAttributes.ReparsePoint))
        {
            Add(writer, $"input/{input}", local);
            return;
        }

        if (!Directory.Exists(local))
        {
            throw new CliException($"{input}: not found next to {Paths[0]} (a base's files: copies it in)");
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, ReturnSpecialDirectories = false };
        foreach (var file in Directory.EnumerateFiles(local, "*", options).Order(StringComparer.Ordinal))
        {
            Add(writer, $"input/{input}/{Path.GetRelativePath(local, file).Replace('\\', '/')}", file);
        }
    }

    private static void Add(TarWriter writer, string name, string file) =>
        writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(File.ReadAllBytes(file)), Mode = File.GetUnixFileMode(file) });

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex VariableReference();

    [GeneratedRegex(@"^name:\s*[""']?([a-z][a-z0-9-]*)[""']?\s*(#.*)?$")]
    private static partial Regex NameLine();
}
