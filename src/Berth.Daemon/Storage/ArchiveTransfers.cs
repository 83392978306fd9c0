using Berth.Daemon.Hosting;

namespace Berth.Daemon.Storage;

/// <summary>
/// Where archives sent or received through the API live for the length of one request or job: STATE/transfers/ID/,
/// each directory root's alone (an archive holds a container's every file). Nothing there outlives the daemon
/// process that made it, so what a crash left is removed the first time transfers are used again.
/// </summary>
public sealed class ArchiveTransfers
{
    private readonly string _root;

    public ArchiveTransfers(StatePaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        _root = Path.Combine(paths.Root, "transfers");
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }

        StorageLayout.EnsurePrivate(_root);
    }

    /// <summary>A path for a new archive, in a private directory of its own.</summary>
    public string NewFile(string name)
    {
        var dir = Path.Combine(_root, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir, StorageLayout.Private);
        return Path.Combine(dir, name);
    }

    /// <summary>Whether <paramref name="file"/> is one of these transfers (and so is removed once used).</summary>
    public bool Holds(string? file) =>
        file is not null && Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(file))) == _root;

    /// <summary>Removes a transfer's directory; an open stream on its file keeps reading it.</summary>
    public void Remove(string file)
    {
        if (!Holds(file))
        {
            return;
        }

        var dir = Path.GetDirectoryName(Path.GetFullPath(file))!;
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
