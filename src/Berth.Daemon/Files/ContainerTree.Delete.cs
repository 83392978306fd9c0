using Berth.Daemon.Errors;
using Berth.Daemon.Native;

namespace Berth.Daemon.Files;

/// <summary>Deleting a name, or a whole tree one descriptor at a time without following any link in it.</summary>
public sealed partial class ContainerTree
{
    /// <summary>Removes the name at <paramref name="path"/> (a link itself, never what it points to); a directory only when empty unless <paramref name="recursive"/>.</summary>
    public void Delete(ContainerFilePath path, bool recursive)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.IsRoot)
        {
            throw DomainError.Invalid("Cannot delete /", "path / is the container's root directory; Berth does not delete it. Give a path inside it.");
        }

        using var parent = Guard(() => root.Resolve(path.Parent)) ?? throw FileErrors.Missing(path, Container);
        var status = Guard(() => parent.Stat(path.Name)) ?? throw FileErrors.Missing(path, Container);
        Guard(() =>
        {
            if (status.Type != TreeEntryType.Directory)
            {
                parent.Unlink(path.Name);
            }
            else if (recursive)
            {
                RemoveTree(parent, path.Name);
            }
            else
            {
                parent.RemoveDirectory(path.Name);
            }

            return true;
        });
    }

    /// <summary>Depth first with a stack of open directories; a directory swapped for a link meanwhile is removed as the link.</summary>
    private static void RemoveTree(TreeDirectory parent, string name)
    {
        var stack = new Stack<(TreeDirectory Directory, Queue<string> Names, string Name)>();
        try
        {
            if (!Push(stack, parent, name))
            {
                return;
            }

            while (stack.Count > 0)
            {
                var (directory, names, directoryName) = stack.Peek();
                if (names.TryDequeue(out var child))
                {
                    if (directory.Stat(child) is not { } status)
                    {
                        continue;
                    }

                    if (status.Type != TreeEntryType.Directory)
                    {
                        directory.Unlink(child);
                    }
                    else if (stack.Count >= MaxDepth)
                    {
                        throw new TreeException(TreeFault.Other, $"{directory.PathOf(child)} is more than {MaxDepth} directories deep; Berth stops there");
                    }
                    else
                    {
                        Push(stack, directory, child);
                    }

                    continue;
                }

                stack.Pop();
                directory.Dispose();
                (stack.Count > 0 ? stack.Peek().Directory : parent).RemoveDirectory(directoryName);
            }
        }
        finally
        {
            foreach (var (directory, _, _) in stack)
            {
                directory.Dispose();
            }
        }
    }

    private static bool Push(Stack<(TreeDirectory, Queue<string>, string)> stack, TreeDirectory parent, string name)
    {
        TreeDirectory? directory;
        try
        {
            directory = parent.OpenDirectory(name);
        }
        catch (TreeException ex) when (ex.Fault == TreeFault.NotADirectory)
        {
            parent.Unlink(name);
            return false;
        }

        if (directory is null)
        {
            return false;
        }

        try
        {
            stack.Push((directory, new Queue<string>(directory.List()), name));
            return true;
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }
}
