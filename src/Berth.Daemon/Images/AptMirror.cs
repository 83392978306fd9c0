namespace Berth.Daemon.Images;

/// <summary>Finds the Debian mirror the host's apt already uses (a URI ending in /debian), so images come from where host packages do.</summary>
public static class AptMirror
{
    public const string Default = "http://deb.debian.org/debian";

    public static string Detect()
    {
        var files = new List<string> { "/etc/apt/sources.list" };
        if (Directory.Exists("/etc/apt/sources.list.d"))
        {
            files.AddRange(Directory.GetFiles("/etc/apt/sources.list.d"));
        }

        foreach (var file in files.Where(File.Exists))
        {
            foreach (var raw in File.ReadLines(file))
            {
                var line = raw.Trim();
                if (line.StartsWith('#'))
                {
                    continue;
                }

                var uri = line.StartsWith("URIs:", StringComparison.Ordinal) ? line[5..].Trim().Split(' ')[0]
                    : line.StartsWith("deb ", StringComparison.Ordinal) ? line.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(p => p.StartsWith("http", StringComparison.Ordinal))
                    : null;
                if (uri is not null && uri.StartsWith("http", StringComparison.Ordinal) && uri.TrimEnd('/').EndsWith("/debian", StringComparison.Ordinal))
                {
                    return uri.TrimEnd('/');
                }
            }
        }

        return Default;
    }
}
