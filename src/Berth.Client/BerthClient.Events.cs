using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Berth.Client.Events;
using Berth.Contracts;

namespace Berth.Client;

/// <summary>The live event stream.</summary>
public sealed partial class BerthClient
{
    /// <summary>
    /// Streams events as they happen (after <paramref name="since"/> when given) until the daemon closes the stream
    /// or <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public async IAsyncEnumerable<BerthEvent> StreamEventsAsync(long? since = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string query = since is { } seq ? $"?since={seq.ToString(CultureInfo.InvariantCulture)}" : "";
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/events{query}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await SendRawAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var text = new StreamReader(stream, Encoding.UTF8);
        var reader = new ServerSentEventReader(text);
        while (await ReadEventAsync(reader, cancellationToken).ConfigureAwait(false) is { } message)
        {
            if (message.Data.Length == 0)
            {
                continue;
            }

            yield return JsonSerializer.Deserialize(message.Data, WireJson.TypeInfo<BerthEvent>())
                ?? throw new InvalidDataException($"berthd sent an empty event (id {message.Id})");
        }
    }

    private async Task<ServerSentEvent?> ReadEventAsync(ServerSentEventReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BerthConnectionException($"the event stream from berthd at {endpoint.Display} broke: {e.Message}", e);
        }
        catch (HttpRequestException e)
        {
            throw MapRequestFailure(e);
        }
    }
}
