using System.Text;

namespace Berth.Daemon.Processes;

/// <summary>What a child wrote to one of its pipes: how many bytes, and the last of them as text (errors come last).</summary>
internal sealed record CapturedOutput(string Text, long Bytes)
{
    private const int Kept = 32 * 1024;

    /// <summary>Reads <paramref name="stream"/> to its end and disposes it.</summary>
    public static async Task<CapturedOutput> ReadAsync(Stream stream)
    {
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[2 * Kept];
            var length = 0;
            long total = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(length)).ConfigureAwait(false)) > 0)
            {
                total += read;
                length += read;
                if (length == buffer.Length)
                {
                    Buffer.BlockCopy(buffer, Kept, buffer, 0, Kept);
                    length = Kept;
                }
            }

            return new CapturedOutput(Encoding.UTF8.GetString(buffer, 0, length), total);
        }
    }
}
