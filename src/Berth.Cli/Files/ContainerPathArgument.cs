namespace Berth.Cli.Files;

/// <summary>CONTAINER/PATH as the file commands take it: the container's name, then the absolute path in it.</summary>
internal readonly record struct ContainerPathArgument(string Container, string Path)
{
    public static ContainerPathArgument Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return slash <= 0
            ? throw new CliException($"'{text}' is not CONTAINER/PATH, e.g. web/etc/hosts")
            : new ContainerPathArgument(text[..slash], text[slash..]);
    }

    /// <summary>The last component of the path ("" for /).</summary>
    public string Name => Path.TrimEnd('/').Split('/')[^1];

    public ContainerPathArgument Child(string name) => this with { Path = Path.TrimEnd('/') + "/" + name };

    public ContainerPathArgument Parent => this with { Path = Path.TrimEnd('/') is var p && p.LastIndexOf('/') is > 0 and var i ? p[..i] : "/" };

    public override string ToString() => Container + Path;
}
