namespace Berth.Daemon.Stacks;

/// <summary>The local files a stack copies in, as the client uploads them: paths relative to the stack file's folder.</summary>
public static class StackInputs
{
    /// <summary>The path without ./ parts and doubled slashes (a trailing / kept off), or null when it leaves the folder or is absolute.</summary>
    public static string? Normalize(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.StartsWith('/') || path.Any(char.IsControl) || path.Contains('\\', StringComparison.Ordinal))
        {
            return null;
        }

        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToList();
        return parts.Count == 0 || parts.Any(p => p == "..") ? null : string.Join('/', parts);
    }
}
