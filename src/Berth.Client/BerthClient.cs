using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Berth.Client.Transport;
using Berth.Contracts;

namespace Berth.Client;

/// <summary>Typed client of the berthd REST API (docs/api.md), over its Unix socket or a loopback HTTP address.</summary>
public sealed partial class BerthClient : IDisposable
{
    public const string DefaultStateDirectory = "/var/lib/berth";

    // Applies to ordinary requests; long polls add their wait to it and the event stream has none.
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(100);

    private readonly DaemonEndpoint endpoint;
    private readonly SocketsHttpHandler handler;
    private readonly HttpClient http;
    private readonly AuthenticationHeaderValue? authorization;

    /// <summary>Talks to the daemon over <c>STATE_DIR/unix.socket</c>.</summary>
    public BerthClient(string stateDirectory)
        : this(DaemonEndpoint.ForStateDirectory(stateDirectory))
    {
    }

    /// <summary>
    /// Talks to the daemon over HTTP, e.g. <c>http://127.0.0.1:8443/</c>; over HTTP berthd wants its admin token
    /// (STATE_DIR/admin.token), sent as a bearer token.
    /// </summary>
    /// <param name="certificateFingerprint">For https://: the SHA-256 fingerprint the server's certificate must have, which then needs no CA.</param>
    public BerthClient(Uri baseAddress, string? adminToken = null, string? certificateFingerprint = null)
        : this(DaemonEndpoint.ForUrl(baseAddress, certificateFingerprint), adminToken)
    {
    }

    private BerthClient(DaemonEndpoint endpoint, string? adminToken = null)
    {
        this.endpoint = endpoint;
        handler = endpoint.CreateHandler();
        http = new HttpClient(handler, disposeHandler: false)
        {
            BaseAddress = endpoint.HttpBase,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        if (!string.IsNullOrWhiteSpace(adminToken))
        {
            authorization = new AuthenticationHeaderValue("Bearer", adminToken.Trim());
            http.DefaultRequestHeaders.Authorization = authorization;
        }
    }

    /// <summary>The socket path or URL this client talks to.</summary>
    public string Endpoint => endpoint.Display;

    /// <summary>
    /// An explicit state directory wins; otherwise <c>BERTH_URL</c> (TCP, with <c>BERTH_TOKEN</c> as the admin token),
    /// then <c>BERTH_DIR</c>, then /var/lib/berth.
    /// </summary>
    public static BerthClient FromEnvironment(string? stateDirectory = null)
    {
        if (!string.IsNullOrEmpty(stateDirectory))
        {
            return new BerthClient(stateDirectory);
        }

        string? url = Environment.GetEnvironmentVariable("BERTH_URL");
        if (!string.IsNullOrEmpty(url))
        {
            return Uri.TryCreate(url, UriKind.Absolute, out var uri)
                ? new BerthClient(uri, Environment.GetEnvironmentVariable("BERTH_TOKEN"))
                : throw new ArgumentException($"BERTH_URL '{url}' is not an absolute http:// URL");
        }

        string? directory = Environment.GetEnvironmentVariable("BERTH_DIR");
        return new BerthClient(string.IsNullOrEmpty(directory) ? DefaultStateDirectory : directory);
    }

    public void Dispose()
    {
        http.Dispose();
        handler.Dispose();
    }

    private Task<T> GetAsync<T>(string path, CancellationToken cancellationToken, TimeSpan? extraTime = null) =>
        SendAsync<T>(HttpMethod.Get, path, content: null, cancellationToken, extraTime);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken, TimeSpan? extraTime = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout + (extraTime ?? TimeSpan.Zero));
        using var request = new HttpRequestMessage(method, path) { Content = content };
        try
        {
            using var response = await SendRawAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            var body = await response.Content.ReadFromJsonAsync(WireJson.TypeInfo<T>(), timeout.Token).ConfigureAwait(false);
            return body ?? throw new InvalidDataException($"berthd sent an empty answer to {method} {path}");
        }
        catch (OperationCanceledException e) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new BerthConnectionException($"berthd at {endpoint.Display} did not answer {method} {path} in time", e);
        }
    }

    /// <summary>Sends a request, maps connection failures and non-2xx answers to Berth's exceptions.</summary>
    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw MapRequestFailure(e);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await ProblemReader.ReadAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    private BerthConnectionException MapRequestFailure(HttpRequestException e)
    {
        if (e.HttpRequestError == HttpRequestError.SecureConnectionError && endpoint.DescribeRefusedCertificate() is { } refused)
        {
            return new BerthConnectionException(refused, e);
        }

        if (e.HttpRequestError == HttpRequestError.ConnectionError)
        {
            var socketError = (e.InnerException as SocketException)?.SocketErrorCode;
            return new BerthConnectionException(endpoint.DescribeUnreachable(socketError), e);
        }

        return new BerthConnectionException($"connection to berthd at {endpoint.Display} failed: {e.Message}", e);
    }

    private static string Escape(string segment)
    {
        ArgumentException.ThrowIfNullOrEmpty(segment);
        return Uri.EscapeDataString(segment);
    }

    // Serialized up front so the request has a Content-Length instead of a chunked body.
    private static ByteArrayContent Json<T>(T body)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, WireJson.TypeInfo<T>()));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }
}
