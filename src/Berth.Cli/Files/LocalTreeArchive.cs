using System.Formats.Tar;

namespace Berth.Cli.Files;

/// <summary>
/// Writes local files and trees as one tar stream, each source under its own top name: numeric owners (or the ones
/// asked for), modes, links as links, hard links as hard links, mtimes. Links are never followed.
/// </summary>
internal static class LocalTreeArchive
{
    public static async Task WriteAsync(Stream output, IReadOnlyList<(string Source, string Name)> sources, long? uid, long? gid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            var firstNames = new Dictionary<(ulong, ulong), string>();
            foreach (var (source, name) in sources)
            {
                var pending = new Stack<(string Path, string Name)>();
                pending.Push((source, name));
                while (pending.Count > 0)
                {
                    var (path, entryName) = pending.Pop();
                    var status = LocalFiles.Stat(path) ?? throw new CliException($"{path} does not exist");
                    PaxTarEntry entry;
                    if (status.IsDirectory)
                    {
                        entry = Entry(TarEntryType.Directory, entryName + "/", status, uid, gid);
                        foreach (var child in Directory.EnumerateFileSystemEntries(path).Order(StringComparer.Ordinal).Reverse())
                        {
                            pending.Push((child, entryName + "/" + System.IO.Path.GetFileName(child)));
                        }
                    }
                    else if (status.IsSymlink)
                    {
                        entry = Entry(TarEntryType.SymbolicLink, entryName, status, uid, gid);
                        entry.LinkName = new FileInfo(path).LinkTarget ?? "";
                    }
                    else if (status.IsFile && status.Links > 1 && firstNames.TryGetValue((status.Device, status.Inode), out var first))
                    {
                        entry = Entry(TarEntryType.HardLink, entryName, status, uid, gid);
                        entry.LinkName = first;
                    }
                    else if (status.IsFile)
                    {
                        if (status.Links > 1)
                        {
                            firstNames[(status.Device, status.Inode)] = entryName;
                        }

                        entry = Entry(TarEntryType.RegularFile, entryName, status, uid, gid);
                        var data = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, FileOptions.Asynchronous);
                        await using (data.ConfigureAwait(false))
                        {
                            entry.DataStream = data;
                            await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
                        }

                        continue;
                    }
                    else if (status.Type is LocalStatus.Fifo or LocalStatus.CharacterDevice or LocalStatus.BlockDevice)
                    {
                        entry = Entry(status.Type switch { LocalStatus.Fifo => TarEntryType.Fifo, LocalStatus.CharacterDevice => TarEntryType.CharacterDevice, _ => TarEntryType.BlockDevice }, entryName, status, uid, gid);
                        if (status.Type != LocalStatus.Fifo)
                        {
                            entry.DeviceMajor = (int)status.DeviceMajor;
                            entry.DeviceMinor = (int)status.DeviceMinor;
                        }
                    }
                    else
                    {
                        // Sockets have no place in an archive.
                        continue;
                    }

                    await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private static PaxTarEntry Entry(TarEntryType type, string name, LocalStatus status, long? uid, long? gid) => new(type, name)
    {
        Mode = status.Mode,
        Uid = (int)(uid ?? status.Uid),
        Gid = (int)(gid ?? status.Gid),
        ModificationTime = status.ModifiedAt,
    };
}
