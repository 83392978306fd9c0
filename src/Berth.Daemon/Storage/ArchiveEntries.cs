using Berth.Daemon.Api;
using Berth.Daemon.Processes;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Storage;

/// <summary>
/// Lists an archive's members before anything is unpacked (one pass of tar -t) and refuses what an import must never
/// write: names outside the trees it expects, absolute names, "..", hard links leaving the tree, block devices and
/// character devices other than the few a container's /dev may hold. Symbolic links are ordinary in a root
/// filesystem; GNU tar never follows them while unpacking.
/// </summary>
public static class ArchiveEntries
{
    // (major, minor) of null, zero, full, random, urandom, tty, console, ptmx, fuse and tun; -1 is any minor (ptys).
    private static readonly HashSet<(int, int)> ContainerDevices = [(1, 3), (1, 5), (1, 7), (1, 8), (1, 9), (5, 0), (5, 1), (5, 2), (10, 229), (10, 200), (136, -1)];

    /// <param name="allowed">Whether a member name (without a trailing slash) belongs in this kind of archive.</param>
    /// <param name="kind">"archive" or "image archive", for messages.</param>
    /// <param name="shown">How messages name the archive (default: its path).</param>
    public static async Task CheckAsync(string file, Func<string, bool> allowed, string kind, CancellationToken cancellationToken, string? shown = null)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        var scratch = Directory.CreateTempSubdirectory("berth-list-").FullName;
        try
        {
            var list = Path.Combine(scratch, "members");
            try
            {
                await CommandPipe.RunAsync(
                    ["zstd", "-q", "-d", "-c", "--", file],
                    ["tar", "-t", "-v", "--numeric-owner", "--quoting-style=escape", "--ignore-zeros", "-f", "-", $"--index-file={list}"],
                    null,
                    cancellationToken).ConfigureAwait(false);
            }
            catch (CommandFailedException ex) when (!OutOfSpace.IsCause(ex))
            {
                throw DomainError.Invalid($"Corrupt {kind}", $"{shown ?? file} is not a complete Berth {kind} ({(shown is null ? ex.Message : "tar or zstd could not read it whole")}); nothing was imported.");
            }

            var hasRootfs = false;
            foreach (var line in File.ReadLines(list))
            {
                if (line.Length == 0)
                {
                    continue;
                }

                var problem = Problem(line, allowed, out var isRootfs);
                if (problem is not null)
                {
                    throw DomainError.Invalid($"Unsafe {kind}", $"{shown ?? file} holds {problem}; nothing was imported.");
                }

                hasRootfs |= isRootfs;
            }

            if (!hasRootfs)
            {
                throw DomainError.Invalid($"Not a Berth {kind}", $"{shown ?? file} holds no rootfs/ directory; nothing was imported.");
            }
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>What is wrong with one line of tar's verbose listing ("TYPE+MODE OWNER/GROUP SIZE DATE TIME NAME[ -> TARGET| link to TARGET]"), or null.</summary>
    internal static string? Problem(string line, Func<string, bool> allowed, out bool isRootfs)
    {
        isRootfs = false;
        // Five fields, then the name (which may hold spaces itself).
        var fields = new string[5];
        var at = 0;
        for (var i = 0; i < fields.Length; i++)
        {
            while (at < line.Length && line[at] == ' ')
            {
                at++;
            }

            var end = line.IndexOf(' ', at);
            if (end < 0)
            {
                return $"a member tar cannot describe ({line})";
            }

            fields[i] = line[at..end];
            at = end;
        }

        if (fields[0].Length == 0 || at + 1 >= line.Length)
        {
            return $"a member tar cannot describe ({line})";
        }

        var type = fields[0][0];
        var rest = line[(at + 1)..];
        var name = rest;
        string? hardLinkTarget = null;
        if (type == 'l' && rest.IndexOf(" -> ", StringComparison.Ordinal) is var arrow and >= 0)
        {
            name = rest[..arrow];
        }
        else if (type == 'h' && rest.IndexOf(" link to ", StringComparison.Ordinal) is var link and >= 0)
        {
            name = rest[..link];
            hardLinkTarget = rest[(link + 9)..];
        }

        if (NameProblem(name, allowed) is { } nameProblem)
        {
            return nameProblem;
        }

        if (hardLinkTarget is not null && NameProblem(hardLinkTarget, allowed) is not null)
        {
            return $"a hard link {name} to {hardLinkTarget}, outside the archive's trees";
        }

        switch (type)
        {
            case '-' or 'd' or 'l' or 'h' or 'p':
                break;
            case 'c' when Device(fields[2]) is var (major, minor) && (ContainerDevices.Contains((major, minor)) || ContainerDevices.Contains((major, -1))):
                break;
            case 'c' or 'b':
                return $"a {(type == 'b' ? "block" : "character")} device {name} ({fields[2]}); container archives hold no devices but the standard ones of /dev";
            default:
                return $"a member of a kind Berth does not unpack ({type}) at {name}";
        }

        var trimmed = name.TrimEnd('/');
        isRootfs = type == 'd' && trimmed == "rootfs";
        return null;
    }

    private static string? NameProblem(string name, Func<string, bool> allowed)
    {
        if (name.StartsWith('/'))
        {
            return $"an absolute name {name}";
        }

        var trimmed = name.TrimEnd('/');
        if (trimmed.Split('/').Any(c => c is ".." or "." or ""))
        {
            return $"a name with '..' or empty parts ({name})";
        }

        return allowed(trimmed) ? null : $"{name}, which is not part of a Berth archive";
    }

    private static (int Major, int Minor)? Device(string field)
    {
        var comma = field.IndexOf(',', StringComparison.Ordinal);
        return comma > 0
            && int.TryParse(field.AsSpan(0, comma), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var major)
            && int.TryParse(field.AsSpan(comma + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var minor)
            ? (major, minor)
            : null;
    }
}
