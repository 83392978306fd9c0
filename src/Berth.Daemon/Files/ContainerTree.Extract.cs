namespace Berth.Daemon.Files;

/// <summary>Extracting a tar stream under a directory (see <see cref="TreeArchiveReader"/>).</summary>
public sealed partial class ContainerTree
{
    /// <summary>Extracts <paramref name="archive"/> under the directory at <paramref name="path"/> (made with its parents when <paramref name="mkdirs"/>); returns how many entries it held.</summary>
    public async Task<int> ExtractAsync(ContainerFilePath path, Stream archive, bool mkdirs, bool allowDevices, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var directory = Guard(() => root.Resolve(path.Components, mkdirs, Shift.UidToHost(0), Shift.GidToHost(0)))
            ?? throw FileErrors.MissingDirectory(path, Container);
        using var reader = new TreeArchiveReader(directory, Shift, allowDevices, Container);
        await reader.ExtractAsync(archive, cancellationToken).ConfigureAwait(false);
        return reader.Entries;
    }
}
