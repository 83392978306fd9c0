using System.Formats.Tar;
using Berth.Daemon.Native;

namespace Berth.Daemon.Files;

/// <summary>
/// Writes a directory of a container as a tar stream (pax): owners as the container sees them (numeric), modes,
/// links as links, hard links as hard links, devices, mtimes. Walked by descriptors without following any link.
/// </summary>
public static class TreeArchiveWriter
{
    public static async Task WriteAsync(TreeDirectory top, IdShift shift, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(top);
        ArgumentNullException.ThrowIfNull(shift);
        var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            var firstNames = new Dictionary<(ulong, ulong), string>();
            await writer.WriteEntryAsync(Entry(TarEntryType.Directory, "./", top.Stat("")!.Value, shift), cancellationToken).ConfigureAwait(false);
            var stack = new Stack<(TreeDirectory Directory, Queue<string> Names, string Prefix)>();
            stack.Push((top, new Queue<string>(top.List()), ""));
            try
            {
                while (stack.Count > 0)
                {
                    var (directory, names, prefix) = stack.Peek();
                    if (!names.TryDequeue(out var name))
                    {
                        stack.Pop();
                        if (directory != top)
                        {
                            directory.Dispose();
                        }

                        continue;
                    }

                    var entryName = prefix + name;
                    if (directory.Stat(name) is not { } status)
                    {
                        continue;
                    }

                    switch (status.Type)
                    {
                        case TreeEntryType.Directory when stack.Count < ContainerTree.MaxDepth:
                            TreeDirectory? sub;
                            try
                            {
                                sub = directory.OpenDirectory(name);
                            }
                            catch (TreeException ex) when (ex.Fault == TreeFault.NotADirectory)
                            {
                                // Swapped for something else since it was looked at: left out.
                                continue;
                            }

                            if (sub is not null)
                            {
                                await writer.WriteEntryAsync(Entry(TarEntryType.Directory, entryName + "/", sub.Stat("")!.Value, shift), cancellationToken).ConfigureAwait(false);
                                stack.Push((sub, new Queue<string>(sub.List()), entryName + "/"));
                            }

                            break;
                        case TreeEntryType.File:
                            await WriteFileAsync(writer, directory, name, entryName, shift, firstNames, cancellationToken).ConfigureAwait(false);
                            break;
                        case TreeEntryType.Symlink:
                            var link = Entry(TarEntryType.SymbolicLink, entryName, status, shift);
                            link.LinkName = directory.ReadLink(name);
                            await writer.WriteEntryAsync(link, cancellationToken).ConfigureAwait(false);
                            break;
                        case TreeEntryType.CharacterDevice or TreeEntryType.BlockDevice or TreeEntryType.Fifo:
                            var node = Entry(status.Type switch { TreeEntryType.CharacterDevice => TarEntryType.CharacterDevice, TreeEntryType.BlockDevice => TarEntryType.BlockDevice, _ => TarEntryType.Fifo }, entryName, status, shift);
                            if (status.Type != TreeEntryType.Fifo)
                            {
                                node.DeviceMajor = (int)status.DeviceMajor;
                                node.DeviceMinor = (int)status.DeviceMinor;
                            }

                            await writer.WriteEntryAsync(node, cancellationToken).ConfigureAwait(false);
                            break;
                        default:
                            // Sockets (and directories deeper than the limit) have no place in an archive.
                            break;
                    }
                }
            }
            finally
            {
                foreach (var (directory, _, _) in stack.Where(s => s.Directory != top))
                {
                    directory.Dispose();
                }
            }
        }
    }

    private static async Task WriteFileAsync(TarWriter writer, TreeDirectory directory, string name, string entryName, IdShift shift, Dictionary<(ulong, ulong), string> firstNames, CancellationToken cancellationToken)
    {
        TreeStatus status;
        Microsoft.Win32.SafeHandles.SafeFileHandle? file;
        try
        {
            file = directory.OpenFile(name);
        }
        catch (TreeException)
        {
            // Swapped for something that is not a regular file since it was looked at: left out.
            return;
        }

        if (file is null)
        {
            return;
        }

        status = TreeDirectory.Stat(file, directory.PathOf(name));
        if (status.Links > 1 && firstNames.TryGetValue((status.Device, status.Inode), out var first))
        {
            file.Dispose();
            var hard = Entry(TarEntryType.HardLink, entryName, status, shift);
            hard.LinkName = first;
            await writer.WriteEntryAsync(hard, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (status.Links > 1)
        {
            firstNames[(status.Device, status.Inode)] = entryName;
        }

        var entry = Entry(TarEntryType.RegularFile, entryName, status, shift);
        await using var data = new FixedLengthStream(file, status.Size);
        entry.DataStream = data;
        await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
    }

    private static PaxTarEntry Entry(TarEntryType type, string name, TreeStatus status, IdShift shift) => new(type, name)
    {
        Mode = status.Mode,
        Uid = (int)shift.UidFromHost(status.Uid),
        Gid = (int)shift.GidFromHost(status.Gid),
        ModificationTime = status.ModifiedAt,
    };
}
