using Berth.Client.Transport;

namespace Berth.Client;

/// <summary>What a remote berthd's certificate is, before it is trusted.</summary>
public sealed partial class BerthClient
{
    /// <summary>The SHA-256 fingerprint of the certificate an https:// berthd presents; only the TLS handshake is sent.</summary>
    public static Task<string> GetServerFingerprintAsync(Uri url, CancellationToken cancellationToken = default) =>
        ServerFingerprint.ReadAsync(url, cancellationToken);
}
