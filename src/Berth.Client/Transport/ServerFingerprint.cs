using System.Net.Security;
using System.Net.Sockets;
using Berth.Contracts;

namespace Berth.Client.Transport;

/// <summary>Reads the certificate an HTTPS server presents, sending nothing but the TLS handshake (no request, no token).</summary>
internal static class ServerFingerprint
{
    public static async Task<string> ReadAsync(Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"'{url}' is not an https:// URL", nameof(url));
        }

        using var tcp = new TcpClient();
        try
        {
            await tcp.ConnectAsync(url.IdnHost, url.Port, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw new BerthConnectionException($"cannot reach berthd at {url.Authority}: {e.Message} (is it started with --https {url.Authority}?)", e);
        }

        string? seen = null;
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = url.IdnHost,
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                seen = certificate is null ? null : CertificateFingerprint.Of(certificate);
                return seen is not null;
            },
        };
        try
        {
            await tls.AuthenticateAsClientAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is System.Security.Authentication.AuthenticationException or IOException)
        {
            throw new BerthConnectionException($"no TLS handshake with {url.Authority}: {e.Message} (is it berthd's --https address?)", e);
        }

        return seen ?? throw new BerthConnectionException($"{url.Authority} presented no certificate");
    }
}
