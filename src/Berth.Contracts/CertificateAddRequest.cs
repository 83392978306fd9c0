namespace Berth.Contracts;

/// <summary>Body of <c>POST /api/v1/certificates</c>: PEM text, not file names (the daemon does not read the caller's files).</summary>
public sealed record CertificateAddRequest
{
    /// <summary>1-63 characters: a-z, 0-9, '.', '_' and '-', starting with a letter or digit.</summary>
    public required string Name { get; init; }
    /// <summary>The certificate in PEM, followed by its intermediates.</summary>
    public required string Certificate { get; init; }
    /// <summary>Its private key in PEM (PKCS#8, RSA or EC), unencrypted.</summary>
    public required string Key { get; init; }
}
