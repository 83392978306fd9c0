using System.Net.Sockets;

namespace Berth.Client.Transport;

/// <summary>Where berthd listens: its Unix socket in a state directory, or a loopback HTTP address.</summary>
internal sealed class DaemonEndpoint
{
    public const string SocketFileName = "unix.socket";

    // The host is a placeholder: over the Unix socket every request goes to the one daemon anyway.
    private static readonly Uri SocketHttpBase = new("http://berth/");
    private static readonly Uri SocketWebSocketBase = new("ws://berth/");

    private DaemonEndpoint(Uri httpBase, Uri webSocketBase, string? stateDirectory, string display)
    {
        HttpBase = httpBase;
        WebSocketBase = webSocketBase;
        StateDirectory = stateDirectory;
        Display = display;
    }

    public Uri HttpBase { get; }
    public Uri WebSocketBase { get; }
    public string? StateDirectory { get; }
    public string? SocketPath => StateDirectory is null ? null : Path.Combine(StateDirectory, SocketFileName);

    /// <summary>The socket path or the URL, for messages.</summary>
    public string Display { get; }

    public static DaemonEndpoint ForStateDirectory(string stateDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateDirectory);
        return new DaemonEndpoint(SocketHttpBase, SocketWebSocketBase, stateDirectory, Path.Combine(stateDirectory, SocketFileName));
    }

    public static DaemonEndpoint ForUrl(Uri baseAddress)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        if (!baseAddress.IsAbsoluteUri || (baseAddress.Scheme != Uri.UriSchemeHttp && baseAddress.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"'{baseAddress}' is not an http:// or https:// URL", nameof(baseAddress));
        }

        // A base without a trailing slash would drop its last path segment when relative paths are resolved.
        var httpBase = new UriBuilder(baseAddress) { Path = baseAddress.AbsolutePath.TrimEnd('/') + "/", Query = "", Fragment = "" }.Uri;
        var webSocketBase = new UriBuilder(httpBase) { Scheme = httpBase.Scheme == Uri.UriSchemeHttps ? "wss" : "ws" }.Uri;
        return new DaemonEndpoint(httpBase, webSocketBase, null, httpBase.ToString());
    }

    public SocketsHttpHandler CreateHandler()
    {
        var handler = new SocketsHttpHandler { UseProxy = false, UseCookies = false };
        if (SocketPath is { } path)
        {
            handler.ConnectCallback = (_, cancellationToken) => ConnectUnixAsync(path, cancellationToken);
        }

        return handler;
    }

    /// <summary>The one-line explanation for a connection that could not be made.</summary>
    public string DescribeUnreachable(SocketError? error) => error switch
    {
        SocketError.AccessDenied => $"cannot reach berthd at {Display}: permission denied (the socket is root-only: run berth as root)",
        _ when StateDirectory is not null => $"cannot reach berthd at {Display}: is the daemon running? (start it with: berthd --state-dir {StateDirectory})",
        _ => $"cannot reach berthd at {Display}: is the daemon running? (start it with: berthd --http {HttpBase.Authority})",
    };

    private static async ValueTask<Stream> ConnectUnixAsync(string path, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
