using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Berth.Contracts;

/// <summary>
/// A certificate's SHA-256 fingerprint as berthd prints it and the CLI pins it: 32 bytes in upper-case hex pairs joined
/// by colons, the form <c>openssl x509 -noout -fingerprint -sha256</c> shows, so either side can be checked with it.
/// </summary>
public static class CertificateFingerprint
{
    public static string Of(X509Certificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Pairs(Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData())));
    }

    /// <summary>
    /// A fingerprint as a user may paste it (with or without colons, any case, "SHA256:" or "sha256 Fingerprint=" in
    /// front) in the canonical form, or null when it is not 32 bytes of hex.
    /// </summary>
    public static string? Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var value = text.Trim();
        var equals = value.LastIndexOf('=');
        if (equals >= 0)
        {
            value = value[(equals + 1)..];
        }

        if (value.StartsWith("sha256:", StringComparison.OrdinalIgnoreCase) && value.Replace(":", "", StringComparison.Ordinal).Length == 64 + 6)
        {
            value = value["sha256:".Length..];
        }

        var hex = value.Replace(":", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        if (hex.Length != 64 || !hex.All(Uri.IsHexDigit))
        {
            return null;
        }

        return Pairs(hex.ToUpperInvariant());
    }

    private static string Pairs(string hex) => string.Join(':', hex.Chunk(2).Select(pair => new string(pair)));
}
