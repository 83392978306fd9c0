using System.Net.Http.Json;
using System.Text.Json;
using Berth.Contracts;

namespace Berth.Client.Transport;

/// <summary>Turns a non-2xx answer into a <see cref="BerthApiException"/>, from its problem document when there is one.</summary>
internal static class ProblemReader
{
    private const int MaxPlainTextDetail = 500;

    public static async Task<BerthApiException> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        int status = (int)response.StatusCode;
        string? mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType is not null && mediaType.EndsWith("json", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var problem = await response.Content.ReadFromJsonAsync(WireJson.TypeInfo<ProblemInfo>(), cancellationToken).ConfigureAwait(false);
                if (problem is not null)
                {
                    return new BerthApiException(problem.Status ?? status, problem.Title ?? response.ReasonPhrase, problem.Detail, problem.Errors);
                }
            }
            catch (JsonException)
            {
                // Not a problem document after all: fall back to the status line.
            }
        }
        else
        {
            string text = (await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)).Trim();
            if (text.Length > 0)
            {
                string detail = text.Length > MaxPlainTextDetail ? text[..MaxPlainTextDetail] + "..." : text;
                return new BerthApiException(status, response.ReasonPhrase, detail);
            }
        }

        // No body to explain it: say what was asked, so "Not Found" does not stand alone.
        string request = response.RequestMessage is { } sent ? $" to {sent.Method} {sent.RequestUri?.AbsolutePath}" : "";
        return new BerthApiException(status, response.ReasonPhrase, $"berthd answered {status} {response.ReasonPhrase}{request}");
    }
}
