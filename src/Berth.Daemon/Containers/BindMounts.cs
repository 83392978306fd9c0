using System.Text.RegularExpressions;

namespace Berth.Daemon.Containers;

/// <summary>
/// The volumes key: host directories bind-mounted into the container, HOST:PATH[:ro] separated by commas. Both are
/// absolute paths of plain characters (LXC's mount line is space-separated), never ".." or "."; admins only.
/// </summary>
public static partial class BindMounts
{
    public const string Key = "volumes";

    public sealed record Mount(string Host, string Path, bool ReadOnly);

    /// <summary>The mounts of a volumes value, or null with what is wrong.</summary>
    public static IReadOnlyList<Mount>? TryParse(string value, out string error)
    {
        ArgumentNullException.ThrowIfNull(value);
        var mounts = new List<Mount>();
        error = "";
        foreach (var entry in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (ParseOne(entry, out error) is not { } mount)
            {
                return null;
            }

            if (mounts.Any(m => m.Path == mount.Path))
            {
                error = $"{mount.Path} is mounted twice";
                return null;
            }

            mounts.Add(mount);
        }

        return mounts;
    }

    /// <summary>One HOST:PATH[:ro], normalised, or null with what is wrong.</summary>
    public static Mount? ParseOne(string entry, out string error)
    {
        ArgumentNullException.ThrowIfNull(entry);
        error = "";
        var parts = entry.Split(':');
        var readOnly = parts.Length == 3 && parts[2] == "ro";
        if (parts.Length is not (2 or 3) || (parts.Length == 3 && parts[2] is not ("ro" or "rw")))
        {
            error = $"'{Hosting.ControlCharacters.Visible(entry)}' is not HOST:PATH or HOST:PATH:ro, e.g. /srv/data:/var/lib/data";
            return null;
        }

        foreach (var path in parts[..2])
        {
            if (!PathShape().IsMatch(path) || path.Split('/').Any(s => s is "." or ".."))
            {
                error = $"'{Hosting.ControlCharacters.Visible(path)}' is not an absolute path of letters, digits and ._@+- between slashes (no . or .. parts)";
                return null;
            }
        }

        var container = parts[1].TrimEnd('/');
        if (container.Length == 0)
        {
            error = "the container's root cannot be a mount point; give a directory such as /var/lib/data";
            return null;
        }

        return new Mount(parts[0].Length > 1 ? parts[0].TrimEnd('/') : parts[0], container, readOnly);
    }

    /// <summary>The value of the volumes key for <paramref name="mounts"/>.</summary>
    public static string Format(IEnumerable<Mount> mounts) => string.Join(',', mounts.Select(m => $"{m.Host}:{m.Path}{(m.ReadOnly ? ":ro" : "")}"));

    [GeneratedRegex(@"^(/[A-Za-z0-9._@+-]+)+/?$|^/$", RegexOptions.CultureInvariant)]
    private static partial Regex PathShape();
}
