using Berth.Daemon.Errors;
using Berth.Daemon.Native;

namespace Berth.Daemon.Files;

/// <summary>Placing a tree restored elsewhere at a path of the container, moved by descriptors, never by a followed path.</summary>
public sealed partial class ContainerTree
{
    /// <summary>
    /// A new directory <paramref name="name"/> at the tree's root, mode 0700 and owned by the daemon's user: an
    /// unprivileged container's root cannot enter it, and what it renames there cannot redirect the opened descriptor.
    /// </summary>
    public TreeDirectory MakeScratch(string name)
    {
        using var top = Guard(() => root.Resolve([])) ?? throw FileErrors.Missing(ContainerFilePath.Parse("/"), Container);
        if (!Guard(() => top.MakeDirectory(name)))
        {
            throw DomainError.Conflict("Scratch exists", $"/{name} already exists in container '{Container}'; remove it and try again.");
        }

        return Guard(() => top.OpenDirectory(name)) ?? throw FileErrors.Missing(ContainerFilePath.Parse("/" + name), Container);
    }

    /// <summary>
    /// Moves <paramref name="fromName"/> of <paramref name="from"/> (on the same file system) to <paramref name="path"/>:
    /// the path's parent is resolved as the container would, inside its root; an entry already there swaps places
    /// with the new one (it ends up in <paramref name="from"/>). True when it replaced one.
    /// </summary>
    public bool Place(TreeDirectory from, string fromName, ContainerFilePath path)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(path);
        if (path.IsRoot)
        {
            throw DomainError.Invalid("Cannot replace /", "path / is the container's root directory; restore the whole container instead.");
        }

        var parentPath = ContainerFilePath.Parse("/" + string.Join('/', path.Parent));
        using var parent = Guard(() => root.Resolve(path.Parent))
            ?? throw DomainError.NotFound("Parent not found", $"{parentPath} does not exist in container '{Container}'; create it first (path {path} goes into it).");
        var exists = Guard(() => parent.Stat(path.Name)) is not null;
        Guard(() =>
        {
            parent.MoveFrom(from, fromName, path.Name, exchange: exists);
            return true;
        });
        return exists;
    }
}
