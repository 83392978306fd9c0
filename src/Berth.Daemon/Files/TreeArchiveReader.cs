using System.Formats.Tar;
using Berth.Daemon.Errors;
using Berth.Daemon.Native;

namespace Berth.Daemon.Files;

/// <summary>
/// Extracts a tar stream under a directory of a container, entry by entry as it arrives. Names are relative to that
/// directory and never leave it: absolute names, "..", a hard link to a name outside it and (for members) device nodes
/// are refused, and the directories on the way are opened without following links, so an archive cannot plant a link
/// and then write through it. Files are written under a fresh name and renamed into place.
/// </summary>
public sealed class TreeArchiveReader(TreeDirectory top, IdShift shift, bool allowDevices, string container) : IDisposable
{
    private readonly List<(string[] Components, DateTimeOffset Time)> _directoryTimes = [];
    private (string Key, TreeDirectory Directory)? _cached;

    /// <summary>How many entries were extracted.</summary>
    public int Entries { get; private set; }

    public async Task ExtractAsync(Stream archive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(archive);
        using var reader = new TarReader(archive, leaveOpen: true);
        while (await NextAsync(reader, cancellationToken).ConfigureAwait(false) is { } entry)
        {
            try
            {
                await ExtractAsync(entry, cancellationToken).ConfigureAwait(false);
            }
            catch (TreeException ex)
            {
                throw FileErrors.From(ex);
            }

            Entries++;
        }

        // Directory times last: writing into a directory changes its time.
        foreach (var (components, time) in Enumerable.Reverse(_directoryTimes))
        {
            using var directory = Walk(components, create: false, cache: false);
            directory?.SetModifiedAt("", time);
        }
    }

    public void Dispose() => _cached?.Directory.Dispose();

    private static async Task<TarEntry?> NextAsync(TarReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw DomainError.Invalid("Invalid archive", $"the request body is not a tar archive Berth can read: {ex.Message}");
        }
    }

    private async Task ExtractAsync(TarEntry entry, CancellationToken cancellationToken)
    {
        var components = Components(entry.Name, "entry");
        if (components.Length == 0)
        {
            // "./": the directory extracted into.
            RequireType(entry, TarEntryType.Directory);
            ApplyToDirectory(top, entry, []);
            return;
        }

        var uid = shift.UidToHost(shift.Validate(entry.Uid, $"entry {entry.Name}: uid")!.Value);
        var gid = shift.GidToHost(shift.Validate(entry.Gid, $"entry {entry.Name}: gid")!.Value);
        var parent = Walk(components[..^1], create: true)!;
        var name = components[^1];
        var existing = parent.Stat(name);
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                if (existing is { Type: not TreeEntryType.Directory })
                {
                    throw InTheWay(entry, "a file that is not a directory");
                }

                if (existing is null)
                {
                    parent.MakeDirectory(name);
                }

                using (var directory = parent.OpenDirectory(name) ?? throw new TreeException(TreeFault.NotFound, $"{parent.PathOf(name)} was removed while Berth extracted it"))
                {
                    ApplyToDirectory(directory, entry, components);
                }

                break;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                NotOverDirectory(entry, existing);
                var (temp, file) = parent.CreateTemporary(name);
                using (file)
                {
                    try
                    {
                        if (entry.DataStream is { } data)
                        {
                            await ContainerTree.CopyAsync(data, file, parent.PathOf(name), cancellationToken).ConfigureAwait(false);
                        }

                        TreeDirectory.Finish(file, parent.PathOf(name), entry.Mode, uid, gid);
                        parent.Rename(temp, name);
                    }
                    catch
                    {
                        parent.Unlink(temp);
                        throw;
                    }
                }

                parent.SetModifiedAt(name, entry.ModificationTime);
                break;
            case TarEntryType.SymbolicLink:
                NotOverDirectory(entry, existing);
                if (string.IsNullOrEmpty(entry.LinkName) || entry.LinkName.Contains('\0', StringComparison.Ordinal))
                {
                    throw DomainError.Invalid("Invalid archive entry", $"entry {entry.Name} is a symbolic link without a target.");
                }

                parent.Symlink(entry.LinkName, name);
                parent.SetOwner(name, uid, gid);
                parent.SetModifiedAt(name, entry.ModificationTime);
                break;
            case TarEntryType.HardLink:
                NotOverDirectory(entry, existing);
                var target = Components(entry.LinkName, $"entry {entry.Name}: hard link target");
                if (target.Length == 0)
                {
                    throw DomainError.Invalid("Invalid archive entry", $"entry {entry.Name} is a hard link to the directory extracted into.");
                }

                using (var from = Walk(target[..^1], create: false, cache: false) ?? throw DomainError.Invalid("Invalid archive entry", $"entry {entry.Name} is a hard link to {entry.LinkName}, which the archive did not hold before it."))
                {
                    parent.HardLink(from, target[^1], name);
                }

                break;
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo:
                NotOverDirectory(entry, existing);
                if (entry.EntryType != TarEntryType.Fifo && !allowDevices)
                {
                    throw DomainError.Forbidden("Device nodes refused", $"entry {entry.Name} is a device node; only admins may create device nodes in a container's files.");
                }

                var type = entry.EntryType switch { TarEntryType.CharacterDevice => TreeEntryType.CharacterDevice, TarEntryType.BlockDevice => TreeEntryType.BlockDevice, _ => TreeEntryType.Fifo };
                var (major, minor) = entry is PosixTarEntry posix ? ((uint)posix.DeviceMajor, (uint)posix.DeviceMinor) : (0u, 0u);
                parent.MakeNode(name, type, major, minor, entry.Mode);
                parent.SetOwner(name, uid, gid);
                parent.SetModifiedAt(name, entry.ModificationTime);
                break;
            default:
                throw DomainError.Invalid("Invalid archive entry", $"entry {entry.Name} is a {entry.EntryType} entry; Berth extracts files, directories, links, hard links, FIFOs and device nodes.");
        }
    }

    private void ApplyToDirectory(TreeDirectory directory, TarEntry entry, string[] components)
    {
        directory.SetOwner("", shift.UidToHost(shift.Validate(entry.Uid, $"entry {entry.Name}: uid")!.Value), shift.GidToHost(shift.Validate(entry.Gid, $"entry {entry.Name}: gid")!.Value));
        directory.SetMode(entry.Mode);
        _directoryTimes.Add((components, entry.ModificationTime));
    }

    /// <summary>The directory <paramref name="components"/> below the top one, each step opened without following a link; missing ones made when <paramref name="create"/>.</summary>
    private TreeDirectory? Walk(string[] components, bool create, bool cache = true)
    {
        var key = string.Join('/', components);
        if (cache && _cached is { } hit && hit.Key == key)
        {
            return hit.Directory;
        }

        TreeDirectory? current = null;
        try
        {
            foreach (var component in components)
            {
                var from = current ?? top;
                TreeDirectory? next;
                try
                {
                    next = from.OpenDirectory(component);
                    if (next is null && create)
                    {
                        if (from.MakeDirectory(component))
                        {
                            from.SetOwner(component, shift.UidToHost(0), shift.GidToHost(0));
                        }

                        next = from.OpenDirectory(component);
                        next?.SetMode((UnixFileMode)0b111_101_101);
                    }
                }
                catch (TreeException ex) when (ex.Fault == TreeFault.NotADirectory)
                {
                    throw DomainError.Conflict("Unsafe path in the container", $"Unsafe path in the container: {from.PathOf(component)} is not a directory (a symbolic link, or a file); archives are extracted without following links.");
                }

                current?.Dispose();
                current = next;
                if (current is null)
                {
                    return null;
                }
            }

            var result = current ?? Reopen(top);
            current = null;
            if (cache)
            {
                _cached?.Directory.Dispose();
                _cached = (key, result);
            }

            return result;
        }
        finally
        {
            current?.Dispose();
        }
    }

    private static TreeDirectory Reopen(TreeDirectory directory) =>
        directory.OpenDirectory(".") ?? throw new TreeException(TreeFault.NotFound, $"{directory.Path} was removed");

    private static string[] Components(string? name, string what)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('\0', StringComparison.Ordinal))
        {
            throw DomainError.Invalid("Invalid archive entry", $"an {what} has no name, or one holding NUL.");
        }

        if (name[0] == '/')
        {
            throw DomainError.Invalid("Invalid archive entry", $"{what} {name} is an absolute name; archive names must be relative to the directory extracted into.");
        }

        var components = name.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(c => c != ".").ToArray();
        return components.Contains("..")
            ? throw DomainError.Invalid("Invalid archive entry", $"{what} {name} holds '..'; archive names must stay inside the directory extracted into.")
            : components;
    }

    private static void RequireType(TarEntry entry, TarEntryType type)
    {
        if (entry.EntryType != type)
        {
            throw DomainError.Invalid("Invalid archive entry", $"entry {entry.Name} names the directory extracted into but is a {entry.EntryType}.");
        }
    }

    private void NotOverDirectory(TarEntry entry, TreeStatus? existing)
    {
        if (existing is { Type: TreeEntryType.Directory })
        {
            throw InTheWay(entry, "a directory");
        }
    }

    private DomainError InTheWay(TarEntry entry, string what) =>
        DomainError.Conflict("Path is in the way", $"entry {entry.Name} is a {entry.EntryType} but {top.PathOf(entry.Name.TrimEnd('/'))} in container '{container}' is {what}; Berth does not replace it.");
}
