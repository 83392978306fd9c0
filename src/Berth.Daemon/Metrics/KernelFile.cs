using System.Buffers.Text;

namespace Berth.Daemon.Metrics;

/// <summary>
/// Reads the small files of cgroupfs, sysfs and /proc into the caller's buffer: no stream, reader or string per read,
/// so a reading of hundreds of containers every second leaves next to nothing for the garbage collector.
/// </summary>
public static class KernelFile
{
    /// <summary>Fills <paramref name="buffer"/> from the file's start: the byte count, or -1 when it is missing or unreadable.</summary>
    public static int Read(string path, Span<byte> buffer)
    {
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var total = 0;
            int read;
            while (total < buffer.Length && (read = RandomAccess.Read(handle, buffer[total..], total)) > 0)
            {
                total += read;
            }

            return total;
        }
        catch (IOException)
        {
            return -1;
        }
        catch (UnauthorizedAccessException)
        {
            return -1;
        }
    }

    /// <summary>A file holding one unsigned number; null when it is missing, unreadable, says "max" or holds more.</summary>
    public static long? ReadLong(string? path)
    {
        if (path is null)
        {
            return null;
        }

        Span<byte> buffer = stackalloc byte[32];
        var length = Read(path, buffer);
        return length > 0 && length < buffer.Length ? Number(buffer[..length]) : null;
    }

    /// <summary>Digits only (as NumberStyles.None), surrounded by whitespace at most.</summary>
    public static long? Number(ReadOnlySpan<byte> text)
    {
        text = text.Trim(" \t\n"u8);
        return text.Length > 0 && char.IsAsciiDigit((char)text[0]) && Utf8Parser.TryParse(text, out long value, out var used) && used == text.Length ? value : null;
    }
}
