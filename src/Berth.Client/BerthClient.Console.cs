using System.Net;
using System.Net.WebSockets;

namespace Berth.Client;

/// <summary>The container console: a login shell that outlives a dropped connection for a grace period.</summary>
public sealed partial class BerthClient
{
    /// <summary>Opens a console on <paramref name="name"/>, or reattaches to <paramref name="session"/>, at the given terminal size.</summary>
    public async Task<ConsoleConnection> OpenConsoleAsync(string name, string? session = null, int columns = 80, int rows = 24, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        string relativeUrl = ConsoleConnection.Query(name, session, columns, rows);
        var socket = new ClientWebSocket();
        try
        {
            socket.Options.CollectHttpResponseDetails = true;
            if (authorization is not null)
            {
                socket.Options.SetRequestHeader("Authorization", authorization.ToString());
            }

            using var invoker = new HttpMessageInvoker(handler, disposeHandler: false);
            try
            {
                await socket.ConnectAsync(new Uri(endpoint.WebSocketBase, relativeUrl), invoker, cancellationToken).ConfigureAwait(false);
            }
            catch (WebSocketException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw await MapConsoleConnectFailureAsync(name, relativeUrl, socket, e, cancellationToken).ConfigureAwait(false);
            }

            return await ConsoleConnection.AcceptHelloAsync(socket, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task<Exception> MapConsoleConnectFailureAsync(string name, string relativeUrl, ClientWebSocket socket, WebSocketException e, CancellationToken cancellationToken)
    {
        if (e.InnerException is HttpRequestException request)
        {
            return MapRequestFailure(request);
        }

        if (socket.HttpStatusCode == 0)
        {
            return new BerthConnectionException($"could not open the console of {name} on berthd at {endpoint.Display}: {e.Message}", e);
        }

        // As for exec: the same URL without the upgrade gets the refusal's problem document, since berthd checks
        // the container, the session and the limit before it checks for a websocket.
        try
        {
            using var plain = new HttpRequestMessage(HttpMethod.Get, relativeUrl);
            using var response = await SendRawAsync(plain, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (BerthApiException problem) when (problem.Status == (int)socket.HttpStatusCode)
        {
            return problem;
        }
        catch (Exception other) when (other is BerthApiException or BerthConnectionException)
        {
            // Fall through to the generic explanation.
        }

        int status = (int)socket.HttpStatusCode;
        string detail = socket.HttpStatusCode switch
        {
            HttpStatusCode.NotFound => $"no container named {name}, or no such console session of yours on it",
            HttpStatusCode.Conflict => $"cannot open a console on {name} now (is it running? too many consoles?)",
            _ => $"berthd refused the console of {name} with HTTP {status}",
        };
        return new BerthApiException(status, socket.HttpStatusCode.ToString(), detail);
    }
}
