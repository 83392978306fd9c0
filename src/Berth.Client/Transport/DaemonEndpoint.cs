using System.Net.Sockets;

namespace Berth.Client.Transport;

/// <summary>Where berthd listens: its Unix socket in a state directory, or a loopback HTTP address.</summary>
internal sealed class DaemonEndpoint
{
    public const string SocketFileName = "unix.socket";

    // The host is a placeholder: over the Unix socket every request goes to the one daemon anyway.
    private static readonly Uri SocketHttpBase = new("http://berth/");
    private static readonly Uri SocketWebSocketBase = new("ws://berth/");

    private DaemonEndpoint(Uri httpBase, Uri webSocketBase, string? stateDirectory, string display, string? pinnedFingerprint = null)
    {
        HttpBase = httpBase;
        WebSocketBase = webSocketBase;
        StateDirectory = stateDirectory;
        Display = display;
        PinnedFingerprint = pinnedFingerprint;
    }

    /// <summary>The SHA-256 fingerprint the server's certificate must have (instead of a CA's signature), or null.</summary>
    public string? PinnedFingerprint { get; }

    /// <summary>The fingerprint of a certificate refused for not being the pinned one, for the error message.</summary>
    public string? RefusedFingerprint { get; private set; }

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

    public static DaemonEndpoint ForUrl(Uri baseAddress, string? certificateFingerprint = null)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        string? pinned = null;
        if (certificateFingerprint is not null)
        {
            pinned = Contracts.CertificateFingerprint.Normalize(certificateFingerprint)
                ?? throw new ArgumentException($"'{certificateFingerprint}' is not a SHA-256 fingerprint (32 hex bytes, as berthd --print-fingerprint shows)", nameof(certificateFingerprint));
            if (baseAddress.Scheme != Uri.UriSchemeHttps)
            {
                throw new ArgumentException($"'{baseAddress}': a certificate fingerprint needs an https:// URL", nameof(baseAddress));
            }
        }

        if (!baseAddress.IsAbsoluteUri || (baseAddress.Scheme != Uri.UriSchemeHttp && baseAddress.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"'{baseAddress}' is not an http:// or https:// URL", nameof(baseAddress));
        }

        // A base without a trailing slash would drop its last path segment when relative paths are resolved.
        var httpBase = new UriBuilder(baseAddress) { Path = baseAddress.AbsolutePath.TrimEnd('/') + "/", Query = "", Fragment = "" }.Uri;
        var webSocketBase = new UriBuilder(httpBase) { Scheme = httpBase.Scheme == Uri.UriSchemeHttps ? "wss" : "ws" }.Uri;
        return new DaemonEndpoint(httpBase, webSocketBase, null, httpBase.ToString(), pinned);
    }

    public SocketsHttpHandler CreateHandler()
    {
        var handler = new SocketsHttpHandler { UseProxy = false, UseCookies = false };
        if (SocketPath is { } path)
        {
            handler.ConnectCallback = (_, cancellationToken) => ConnectUnixAsync(path, cancellationToken);
        }

        if (PinnedFingerprint is { } pinned)
        {
            // Pinned: this certificate and no other, whoever signed it and whatever names it holds (self-signed is the usual case).
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                var seen = certificate is null ? null : Contracts.CertificateFingerprint.Of(certificate);
                if (seen == pinned)
                {
                    return true;
                }

                RefusedFingerprint = seen ?? "none";
                return false;
            };
        }

        return handler;
    }

    /// <summary>The one-line explanation for a connection that could not be made.</summary>
    /// <summary>Why a TLS connection was refused, when it was for the pinned fingerprint.</summary>
    public string? DescribeRefusedCertificate() => RefusedFingerprint is { } seen
        ? $"berthd at {Display} presented a certificate with SHA-256 fingerprint {seen}, not the pinned {PinnedFingerprint}; refusing to send the token (if the server's certificate really changed, check berthd --print-fingerprint on it and add the remote again)"
        : null;

    public string DescribeUnreachable(SocketError? error) => error switch
    {
        SocketError.AccessDenied => $"cannot reach berthd at {Display}: permission denied (the socket is root-only: run berth as root)",
        _ when StateDirectory is not null => $"cannot reach berthd at {Display}: is the daemon running? (start it with: berthd --state-dir {StateDirectory})",
        _ => $"cannot reach berthd at {Display}: is the daemon running? (start it with: berthd --{HttpBase.Scheme} {HttpBase.Authority})",
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
