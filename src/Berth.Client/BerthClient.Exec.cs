using System.Net;
using System.Net.WebSockets;
using Berth.Client.Exec;
using Berth.Contracts;

namespace Berth.Client;

/// <summary>Running a command in a container over the exec websocket.</summary>
public sealed partial class BerthClient
{
    private static readonly TimeSpan TerminalSizePollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Runs a command in a container, streaming <paramref name="stdin"/> up and its output down, and returns its exit
    /// code. With a tty, <paramref name="terminalSize"/> gives the terminal's size before the command starts (unless the
    /// request has one) and is then asked every 500 ms and changes are sent as Resize frames.
    /// </summary>
    public async Task<int> ExecAsync(
        string name,
        ExecRequest request,
        Stream stdin,
        Stream stdout,
        Stream stderr,
        Func<(int Columns, int Rows)?>? terminalSize = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Tty && request.Columns is null && request.Rows is null && terminalSize?.Invoke() is { Columns: > 0, Rows: > 0 } initial)
        {
            // The daemon sizes the terminal before the command starts only with a size in the request; a Resize frame would race the command.
            request = request with { Columns = initial.Columns, Rows = initial.Rows };
        }

        string relativeUrl = ExecQuery.Build(name, request);
        using var socket = new ClientWebSocket();
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
            throw await MapExecConnectFailureAsync(name, relativeUrl, socket, e, cancellationToken).ConfigureAwait(false);
        }

        var session = new ExecSession(socket, TerminalSizePollInterval, request.Columns is { } columns && request.Rows is { } rows ? (columns, rows) : null);
        return await session.RunAsync(stdin, stdout, stderr, request.Tty ? terminalSize : null, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Exception> MapExecConnectFailureAsync(string name, string relativeUrl, ClientWebSocket socket, WebSocketException e, CancellationToken cancellationToken)
    {
        if (e.InnerException is HttpRequestException request)
        {
            return MapRequestFailure(request);
        }

        if (socket.HttpStatusCode == 0)
        {
            return new BerthConnectionException($"could not start exec in {name} on berthd at {endpoint.Display}: {e.Message}", e);
        }

        // ClientWebSocket hides the refusal's problem document; the same URL without the upgrade gets it again,
        // since berthd checks the container before it checks for a websocket.
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
            HttpStatusCode.NotFound => $"no container named {name}",
            HttpStatusCode.Conflict => $"cannot exec in {name} in its current state (is it running?)",
            _ => $"berthd refused exec in {name} with HTTP {status}",
        };
        return new BerthApiException(status, socket.HttpStatusCode.ToString(), detail);
    }
}
