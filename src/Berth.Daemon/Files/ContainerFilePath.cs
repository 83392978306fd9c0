using Berth.Daemon.Errors;

namespace Berth.Daemon.Files;

/// <summary>
/// A path in a container's files as the API takes it: absolute, no NUL, no "..". Empty and "." components are dropped;
/// a trailing slash asks for the directory a link there leads to rather than the link.
/// </summary>
public sealed record ContainerFilePath(IReadOnlyList<string> Components, bool TrailingSlash)
{
    public bool IsRoot => Components.Count == 0;

    /// <summary>The last component ("" for /).</summary>
    public string Name => IsRoot ? "" : Components[^1];

    public IReadOnlyList<string> Parent => IsRoot ? [] : [.. Components.Take(Components.Count - 1)];

    public override string ToString() => "/" + string.Join('/', Components);

    public static ContainerFilePath Parse(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            throw DomainError.Invalid("Missing path", "give the file's absolute path in the container as the path query parameter, e.g. ?path=/etc/hosts.");
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw DomainError.Invalid("Invalid path", "path holds a NUL character; a path in the container cannot.");
        }

        if (path[0] != '/')
        {
            throw DomainError.Invalid("Invalid path", $"path '{Hosting.ControlCharacters.Visible(path)}' is relative; give the absolute path in the container, starting with /.");
        }

        var components = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(c => c != ".").ToArray();
        if (components.Contains(".."))
        {
            throw DomainError.Invalid("Invalid path", $"path '{Hosting.ControlCharacters.Visible(path)}' holds '..'; give the path without it.");
        }

        if (components.Any(c => System.Text.Encoding.UTF8.GetByteCount(c) > 255))
        {
            throw DomainError.Invalid("Invalid path", "a component of path is longer than 255 bytes, the longest name Linux allows.");
        }

        return new ContainerFilePath(components, path.Length > 1 && path[^1] == '/');
    }
}
