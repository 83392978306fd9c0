using System.Text;

namespace Berth.Client.Events;

/// <summary>Reads events from a text/event-stream as the WHATWG HTML spec parses it (fields, comments, multi-line data).</summary>
internal sealed class ServerSentEventReader
{
    private const string DefaultType = "message";

    private readonly TextReader reader;

    public ServerSentEventReader(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        this.reader = reader;
    }

    /// <summary>The next event, or null at the end of the stream (an unterminated last block is dropped, as the spec says).</summary>
    public async Task<ServerSentEvent?> ReadAsync(CancellationToken cancellationToken)
    {
        string? id = null;
        string? type = null;
        StringBuilder? data = null;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                if (data is not null)
                {
                    return new ServerSentEvent(id, type ?? DefaultType, data.ToString());
                }

                // A block without data dispatches nothing.
                id = null;
                type = null;
                continue;
            }

            if (line[0] == ':')
            {
                continue;
            }

            int colon = line.IndexOf(':', StringComparison.Ordinal);
            string field = colon < 0 ? line : line[..colon];
            string value = colon < 0 ? "" : line[(colon + 1)..];
            if (value.StartsWith(' '))
            {
                value = value[1..];
            }

            switch (field)
            {
                case "id":
                    id = value;
                    break;
                case "event":
                    type = value;
                    break;
                case "data":
                    if (data is null)
                    {
                        data = new StringBuilder(value);
                    }
                    else
                    {
                        data.Append('\n').Append(value);
                    }

                    break;
                default:
                    // retry and unknown fields do not matter to this client.
                    break;
            }
        }

        return null;
    }
}
