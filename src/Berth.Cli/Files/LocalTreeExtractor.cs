using System.Formats.Tar;

namespace Berth.Cli.Files;

/// <summary>
/// Extracts a tar stream from a container under a local directory. The container wrote those names, so none may
/// leave the directory: absolute names and ".." are refused, and no directory on the way may be a link (one the
/// archive itself made included). Owners are set when running as root, as the container sees them.
/// </summary>
internal sealed class LocalTreeExtractor(string destination, TextWriter warnings)
{
    private readonly List<(string Path, DateTimeOffset Time)> _directoryTimes = [];
    private readonly bool _root = LocalFiles.IsRoot;

    public async Task<int> ExtractAsync(Stream archive, CancellationToken cancellationToken)
    {
        var count = 0;
        using var reader = new TarReader(archive, leaveOpen: true);
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
        {
            await ExtractAsync(entry, cancellationToken).ConfigureAwait(false);
            count++;
        }

        foreach (var (path, time) in Enumerable.Reverse(_directoryTimes))
        {
            Directory.SetLastWriteTimeUtc(path, time.UtcDateTime);
        }

        return count;
    }

    private async Task ExtractAsync(TarEntry entry, CancellationToken cancellationToken)
    {
        var path = Inside(entry.Name);
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                if (LocalFiles.Stat(path) is { IsDirectory: false })
                {
                    throw new CliException($"{path} exists and is not a directory");
                }

                Directory.CreateDirectory(path);
                Own(path, entry);
                File.SetUnixFileMode(path, entry.Mode);
                _directoryTimes.Add((path, entry.ModificationTime));
                return;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                Replace(path);
                var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
                await using (file.ConfigureAwait(false))
                {
                    if (entry.DataStream is { } data)
                    {
                        await data.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                    }
                }

                break;
            case TarEntryType.SymbolicLink:
                Replace(path);
                File.CreateSymbolicLink(path, entry.LinkName);
                Own(path, entry);
                return;
            case TarEntryType.HardLink:
                Replace(path);
                var target = Inside(entry.LinkName);
                if (LocalFiles.Stat(target) is not { IsFile: true })
                {
                    throw new CliException($"entry {entry.Name} is a hard link to {entry.LinkName}, which is not a file extracted before it");
                }

                LocalFiles.HardLink(target, path);
                return;
            case TarEntryType.Fifo or TarEntryType.CharacterDevice or TarEntryType.BlockDevice:
                if (entry.EntryType != TarEntryType.Fifo && !_root)
                {
                    await warnings.WriteLineAsync($"berth: skipped the device node {entry.Name} (only root may create one)").ConfigureAwait(false);
                    return;
                }

                Replace(path);
                var posix = (PosixTarEntry)entry;
                LocalFiles.MakeNode(path, entry.EntryType switch { TarEntryType.Fifo => LocalStatus.Fifo, TarEntryType.CharacterDevice => LocalStatus.CharacterDevice, _ => LocalStatus.BlockDevice }, entry.Mode, (uint)posix.DeviceMajor, (uint)posix.DeviceMinor);
                break;
            default:
                await warnings.WriteLineAsync($"berth: skipped {entry.Name} ({entry.EntryType})").ConfigureAwait(false);
                return;
        }

        Own(path, entry);
        File.SetUnixFileMode(path, entry.Mode);
        File.SetLastWriteTimeUtc(path, entry.ModificationTime.UtcDateTime);
    }

    /// <summary>The local path of an archive name, checked to stay under the destination through real directories only.</summary>
    private string Inside(string name)
    {
        if (string.IsNullOrEmpty(name) || name[0] == '/' || name.Contains('\0', StringComparison.Ordinal))
        {
            throw new CliException($"the archive holds an entry named '{name}', which is not a relative name; nothing after it was extracted");
        }

        var components = name.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(c => c != ".").ToArray();
        if (components.Contains(".."))
        {
            throw new CliException($"the archive holds an entry named '{name}', which leads out of {destination}; nothing after it was extracted");
        }

        var path = destination;
        for (var i = 0; i < components.Length - 1; i++)
        {
            path = Path.Combine(path, components[i]);
            var status = LocalFiles.Stat(path);
            if (status is { IsDirectory: false })
            {
                throw new CliException($"{path} is not a directory (a link, or a file); the entry {name} is not extracted through it");
            }

            if (status is null)
            {
                Directory.CreateDirectory(path);
            }
        }

        return components.Length == 0 ? destination : Path.Combine(path, components[^1]);
    }

    private static void Replace(string path)
    {
        if (LocalFiles.Stat(path) is { } existing)
        {
            if (existing.IsDirectory)
            {
                throw new CliException($"{path} is a directory; it is not replaced by a file");
            }

            File.Delete(path);
        }
    }

    private void Own(string path, TarEntry entry)
    {
        if (_root)
        {
            LocalFiles.SetOwner(path, entry.Uid, entry.Gid);
        }
    }
}
