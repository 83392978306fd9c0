using System.Formats.Tar;
using System.Text;
using System.Text.Json;
using Berth.Contracts;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Stacks;

/// <summary>
/// What a client uploads for <c>up</c>, as one tar: stack/FILE for the stack files in merge order, input/PATH for
/// the local files bases copy in, and variables.json for the values of the ${VAR}s. Only regular files and folders
/// are read; links and devices are refused.
/// </summary>
public sealed class StackUpload
{
    public const long MaxBytes = 512L << 20;

    public List<StackSource> Sources { get; } = [];

    public SortedDictionary<string, UploadedFile> Inputs { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);

    /// <summary>The uploaded files at or under <paramref name="input"/>, with their path relative to it ("" for a file itself).</summary>
    public IEnumerable<(string Path, UploadedFile File)> Under(string input) =>
        Inputs.Where(p => p.Key == input || p.Key.StartsWith(input + "/", StringComparison.Ordinal)).Select(p => (p.Key == input ? "" : p.Key[(input.Length + 1)..], p.Value));

    public static async Task<StackUpload> ReadAsync(Stream body, CancellationToken cancellationToken)
    {
        var upload = new StackUpload();
        long total = 0;
        try
        {
            using var reader = new TarReader(body, leaveOpen: true);
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                if (entry.EntryType is TarEntryType.Directory)
                {
                    continue;
                }

                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                {
                    throw DomainError.Invalid("Invalid stack upload", $"'{entry.Name}' in the upload is not a regular file; stack inputs are files and folders (links are not followed).");
                }

                total += entry.Length;
                if (total > MaxBytes)
                {
                    throw DomainError.Invalid("Stack upload too large", $"the stack files and inputs exceed {MaxBytes >> 20} MiB; copy large data in another way.");
                }

                var content = new byte[entry.Length];
                if (entry.DataStream is { } data)
                {
                    await data.ReadExactlyAsync(content, cancellationToken).ConfigureAwait(false);
                }

                upload.Add(entry.Name, content, entry.Mode);
            }
        }
        catch (InvalidDataException ex)
        {
            throw DomainError.Invalid("Invalid stack upload", $"the body is not a tar archive of stack files: {ex.Message}");
        }

        if (upload.Sources.Count == 0)
        {
            throw DomainError.Invalid("No stack file", "the upload holds no stack/FILE entry; send berth.yml as stack/berth.yml.");
        }

        return upload;
    }

    private void Add(string name, byte[] content, UnixFileMode mode)
    {
        if (name.StartsWith("stack/", StringComparison.Ordinal) && name.Length > 6 && !name[6..].Contains('/', StringComparison.Ordinal))
        {
            Sources.Add(new StackSource(Hosting.ControlCharacters.Visible(name[6..]), Encoding.UTF8.GetString(content)));
        }
        else if (name.StartsWith("input/", StringComparison.Ordinal) && StackInputs.Normalize(name[6..]) is { } path)
        {
            // Only the permission bits: an input never brings setuid, setgid or sticky bits into a container.
            Inputs[path] = new UploadedFile(content, mode & (UnixFileMode)0x1FF);
        }
        else if (name == "variables.json")
        {
            try
            {
                foreach (var (key, value) in JsonSerializer.Deserialize<Dictionary<string, string>>(content, BerthJson.Options) ?? [])
                {
                    Variables[key] = value;
                }
            }
            catch (JsonException ex)
            {
                throw DomainError.Invalid("Invalid stack upload", $"variables.json is not a JSON object of strings: {ex.Message}");
            }
        }
        else
        {
            throw DomainError.Invalid("Invalid stack upload", $"'{Hosting.ControlCharacters.Visible(name)}' is not stack/FILE, input/PATH or variables.json.");
        }
    }
}
