namespace Berth.Cli.Commands;

/// <summary>Archive files on the CLI's own machine, for exports and imports through a remote daemon's API.</summary>
internal static class LocalArchive
{
    /// <summary>
    /// Writes what <paramref name="download"/> sends into <paramref name="path"/>, which must not exist: through
    /// PATH.partial, mode 0600 from the start (an archive holds a container's every file), renamed once complete.
    /// </summary>
    public static async Task SaveAsync(string path, Func<Stream, Task> download)
    {
        ArgumentNullException.ThrowIfNull(download);
        if (File.Exists(path) || Directory.Exists(path))
        {
            throw new CliException($"{path} already exists; choose another file name or remove it first");
        }

        var directory = Path.GetDirectoryName(path);
        if (directory is not null && !Directory.Exists(directory))
        {
            throw new CliException($"the directory of {path} does not exist");
        }

        var partial = path + ".partial";
        try
        {
            await using (var stream = new FileStream(partial, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite, Options = FileOptions.Asynchronous }))
            {
                await download(stream).ConfigureAwait(false);
            }

            File.Move(partial, path, overwrite: false);
        }
        catch (IOException ex) when (ex is not FileNotFoundException)
        {
            File.Delete(partial);
            throw new CliException($"cannot write {path}: {ex.Message}");
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
    }

    /// <summary>The archive to upload, or one line saying why it cannot be read.</summary>
    public static FileStream OpenUpload(string? path)
    {
        try
        {
            return new FileStream(path!, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read {path}: {ex.Message}");
        }
    }
}
