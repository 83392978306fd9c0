using System.Buffers;
using Berth.Contracts;
using Berth.Daemon.Errors;
using Berth.Daemon.Native;

namespace Berth.Daemon.Files;

/// <summary>Writing one file: under a fresh name in the same directory, then renamed over the target in one step.</summary>
public sealed partial class ContainerTree
{
    private const UnixFileMode DefaultFileMode = (UnixFileMode)0b110_100_100;

    /// <summary>
    /// Replaces (or creates) the file at <paramref name="path"/> with <paramref name="content"/>. Mode and owners are
    /// the ones given, else the replaced file's, else 0644 and root; a reader never sees a half-written file.
    /// </summary>
    public async Task<FileEntryInfo> WriteAsync(ContainerFilePath path, Stream content, UnixFileMode? mode, long? uid, long? gid, bool mkdirs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(content);
        if (path.IsRoot || path.TrailingSlash)
        {
            throw DomainError.Invalid("Path is a directory", $"path {path}/ names a directory; give the path of the file to write, e.g. {path}/NAME.");
        }

        Shift.Validate(uid, "uid");
        Shift.Validate(gid, "gid");
        using var directory = Guard(() => root.Resolve(path.Parent, mkdirs, Shift.UidToHost(0), Shift.GidToHost(0)))
            ?? throw FileErrors.MissingDirectory(new ContainerFilePath(path.Parent, false), Container);
        var existing = Guard(() => directory.Stat(path.Name));
        if (existing is { Type: TreeEntryType.Directory })
        {
            throw DomainError.Conflict("Path is a directory", $"{path} is a directory in container '{Container}'; Berth does not write a file over it. Delete it first, or push into it.");
        }

        var kept = existing is { Type: TreeEntryType.File } file ? file : (TreeStatus?)null;
        var finalMode = mode ?? kept?.Mode ?? DefaultFileMode;
        var hostUid = uid is { } u ? Shift.UidToHost(u) : kept?.Uid ?? Shift.UidToHost(0);
        var hostGid = gid is { } g ? Shift.GidToHost(g) : kept?.Gid ?? Shift.GidToHost(0);
        var (temp, handle) = Guard(() => directory.CreateTemporary(path.Name));
        using (handle)
        {
            try
            {
                await CopyAsync(content, handle, path.ToString(), cancellationToken).ConfigureAwait(false);
                TreeDirectory.Finish(handle, path.ToString(), finalMode, hostUid, hostGid);
                directory.Rename(temp, path.Name);
            }
            catch (Exception ex)
            {
                directory.Unlink(temp);
                throw ex is TreeException tree ? FileErrors.From(tree) : ex;
            }
        }

        directory.Sync();
        return Describe(directory, path.Name);
    }

    /// <summary>Copies a stream into a new file, in 1 MiB pieces (nothing is held whole).</summary>
    internal static async Task<long> CopyAsync(Stream content, Microsoft.Win32.SafeHandles.SafeFileHandle file, string path, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        long offset = 0;
        try
        {
            int read;
            while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                try
                {
                    await RandomAccess.WriteAsync(file, buffer.AsMemory(0, read), offset, cancellationToken).ConfigureAwait(false);
                }
                catch (IOException ex) when (Storage.OutOfSpace.IsCause(ex))
                {
                    throw new TreeException(TreeFault.NoSpace, $"cannot write {path}: No space left on device");
                }

                offset += read;
            }

            return offset;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
