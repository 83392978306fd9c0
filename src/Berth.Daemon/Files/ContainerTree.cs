using Berth.Contracts;
using Berth.Daemon.Native;
using Microsoft.Win32.SafeHandles;

namespace Berth.Daemon.Files;

/// <summary>
/// One container's opened files: every path is resolved under its root as the container would resolve it (see
/// <see cref="TreeRoot"/>), and the last component is used through its parent's descriptor, never followed.
/// </summary>
public sealed partial class ContainerTree(string container, TreeRoot root, IdShift shift) : IDisposable
{
    /// <summary>Deeper trees are refused rather than walked: each level holds a descriptor.</summary>
    public const int MaxDepth = 512;

    public string Container { get; } = container;

    public IdShift Shift { get; } = shift;

    /// <summary>What <paramref name="path"/> is (a link itself, unless the path ends with a slash).</summary>
    public FileEntryInfo Describe(ContainerFilePath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var parent = ParentOf(path, out var name);
        return Describe(parent, name);
    }

    /// <summary>The regular file at <paramref name="path"/>, opened, with its status; anything else there is refused.</summary>
    public (FileEntryInfo Entry, SafeFileHandle File) OpenFile(ContainerFilePath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var parent = ParentOf(path, out var name);
        var file = parent.OpenFile(name) ?? throw FileErrors.Missing(path, Container);
        var status = TreeDirectory.Stat(file, path.ToString());
        return (FileEntries.Describe(path.Name, status, Shift, null), file);
    }

    /// <summary>The entries of the directory at <paramref name="path"/> (links not followed, except one the path ends with a slash after).</summary>
    public IReadOnlyList<FileEntryInfo> List(ContainerFilePath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var directory = OpenDirectory(path);
        var entries = new List<FileEntryInfo>();
        foreach (var name in directory.List())
        {
            try
            {
                entries.Add(Describe(directory, name));
            }
            catch (Errors.DomainError)
            {
                // Removed since it was listed.
            }
        }

        return entries;
    }

    /// <summary>The directory at <paramref name="path"/>, following links on the way as the container would.</summary>
    public TreeDirectory OpenDirectory(ContainerFilePath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Guard(() => root.Resolve(path.Components)) ?? throw FileErrors.Missing(path, Container);
    }

    public void Dispose() => root.Dispose();

    /// <summary>The directory holding <paramref name="path"/>'s last component; "" and the directory itself for / or a path ending with a slash.</summary>
    private TreeDirectory ParentOf(ContainerFilePath path, out string name)
    {
        if (path.IsRoot || path.TrailingSlash)
        {
            name = "";
            return OpenDirectory(path);
        }

        name = path.Name;
        return Guard(() => root.Resolve(path.Parent)) ?? throw FileErrors.Missing(path, Container);
    }

    private FileEntryInfo Describe(TreeDirectory directory, string name)
    {
        var status = Guard(() => directory.Stat(name)) ?? throw Errors.DomainError.NotFound("File not found", $"{directory.PathOf(name)} does not exist in container '{Container}'.");
        var link = status.Type == TreeEntryType.Symlink ? Guard(() => directory.ReadLink(name)) : null;
        return FileEntries.Describe(name.Length == 0 ? Path.GetFileName(directory.Path) : name, status, Shift, link);
    }

    /// <summary>Runs a step on the tree, turning its failures into the API's problems.</summary>
    private static T Guard<T>(Func<T> step)
    {
        try
        {
            return step();
        }
        catch (TreeException ex)
        {
            throw FileErrors.From(ex);
        }
    }
}
