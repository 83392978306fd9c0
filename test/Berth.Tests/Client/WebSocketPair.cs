using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace Berth.Tests.Client;

/// <summary>Two connected websockets over loopback TCP, client and server side, without an HTTP handshake.</summary>
internal sealed class WebSocketPair : IDisposable
{
    private readonly TcpClient clientConnection;
    private readonly TcpClient serverConnection;

    private WebSocketPair(TcpClient client, TcpClient server)
    {
        clientConnection = client;
        serverConnection = server;
        Client = WebSocket.CreateFromStream(client.GetStream(), new WebSocketCreationOptions { IsServer = false });
        Server = WebSocket.CreateFromStream(server.GetStream(), new WebSocketCreationOptions { IsServer = true });
    }

    public WebSocket Client { get; }
    public WebSocket Server { get; }

    public static async Task<WebSocketPair> CreateAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var client = new TcpClient();
            var accept = listener.AcceptTcpClientAsync();
            await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
            return new WebSocketPair(client, await accept);
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>Receives one whole binary message on the server side.</summary>
    public async Task<byte[]> ReceiveOnServerAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        ValueWebSocketReceiveResult result;
        do
        {
            result = await Server.ReceiveAsync(buffer.AsMemory(), cancellationToken);
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);
        return message.ToArray();
    }

    public Task SendFromServerAsync(byte[] message) =>
        Server.SendAsync(message, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);

    public void Dispose()
    {
        Client.Dispose();
        Server.Dispose();
        clientConnection.Dispose();
        serverConnection.Dispose();
    }
}
