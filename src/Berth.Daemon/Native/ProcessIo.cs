using System.Globalization;

namespace Berth.Daemon.Native;

/// <summary>A process's read and write counters from /proc/PID/io: bytes passed to and from read and write calls on any descriptor.</summary>
public readonly record struct ProcessIo(long BytesRead, long BytesWritten)
{
    /// <summary>The counters of <paramref name="pid"/>, or null when it is gone or they cannot be read.</summary>
    internal static ProcessIo? Read(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/io");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        long read = 0, written = 0;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("rchar:", StringComparison.Ordinal))
            {
                read = long.Parse(line.AsSpan(6), NumberStyles.AllowLeadingWhite, CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("wchar:", StringComparison.Ordinal))
            {
                written = long.Parse(line.AsSpan(6), NumberStyles.AllowLeadingWhite, CultureInfo.InvariantCulture);
            }
        }

        return new ProcessIo(read, written);
    }
}
